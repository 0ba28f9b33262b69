/** @module The agents route (seed 000). */
import type { agentRoutes, IdsOf } from '@cartrita/contracts';
import { HttpError, userIdOf } from '@cartrita/engine';
import type { RouteHandlers } from '../../routes/types.js';

/** `GET /api/agents`: the caller's personas and the configured providers. */
export const agentHandlers: RouteHandlers<IdsOf<typeof agentRoutes>> = {
  'agents.list': async ({ app, req }) => {
    const userId = userIdOf(req.auth);
    if (!userId) throw HttpError.unauthorized('Authentication required: send a client secret or an API key');
    return app.engine.agents.list(userId);
  },
};
