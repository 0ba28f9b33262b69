/** @module The mock of the agents route (seed 000), by the engine's rules. */
import type { agentRoutes, IdsOf } from '@cartrita/contracts';
import { HttpError, userIdOf } from '@cartrita/engine';
import type { RouteImplementation } from '../route-handler.js';

/** The mock of `GET /api/agents`. */
export const agentImplementations: { readonly [K in IdsOf<typeof agentRoutes>]: RouteImplementation<K> } = {
  'agents.list': async ({ json, store, caller }) => {
    const userId = userIdOf(caller.auth);
    if (!userId) throw HttpError.unauthorized('Authentication required: send a client secret or an API key');
    return json(await store.engine.agents.list(userId));
  },
};
