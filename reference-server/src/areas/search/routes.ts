/** @module The search route (seed 000). */
import type { IdsOf, searchRoutes } from '@cartrita/contracts';
import { HttpError, userIdOf } from '@cartrita/engine';
import type { RouteHandlers } from '../../routes/types.js';

/** Search: the caller's files offline, or a web provider. */
export const searchHandlers: RouteHandlers<IdsOf<typeof searchRoutes>> = {
  'search.query': async ({ app, req, body, signal }) => {
    const userId = userIdOf(req.auth);
    if (!userId) throw HttpError.unauthorized('Authentication required: send an API key');
    return app.engine.search.search(body, userId, signal);
  },
};
