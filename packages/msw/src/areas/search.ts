/** @module The mock of the search route (seed 000), by the engine's rules: `local` searches the caller's files. */
import type { IdsOf, searchRoutes } from '@cartrita/contracts';
import { HttpError, userIdOf } from '@cartrita/engine';
import type { RouteImplementation } from '../route-handler.js';

/** The mock of `POST /api/search`. */
export const searchImplementations: { readonly [K in IdsOf<typeof searchRoutes>]: RouteImplementation<K> } = {
  'search.query': async ({ json, store, caller, body, signal }) => {
    const userId = userIdOf(caller.auth);
    if (!userId) throw HttpError.unauthorized('Authentication required: send an API key');
    return json(await store.engine.search.search(body, userId, signal));
  },
};
