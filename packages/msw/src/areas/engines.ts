/** @module The mocks of LLMGine's engine routes (seed 001), by the engine's rules. */
import type { engineRoutes, IdsOf } from '@cartrita/contracts';
import type { RouteImplementation } from '../route-handler.js';
import { sessionCaller } from './sessions.js';

/** The mocks of the engine routes, by route id. */
export const engineImplementations: { readonly [K in IdsOf<typeof engineRoutes>]: RouteImplementation<K> } = {
  'engines.create': async ({ json, store, caller, body }) =>
    json(await store.engine.engines.create(body, sessionCaller(caller))),
  'engines.list': async ({ json, store, caller, query }) =>
    json(await store.engine.engines.list(query, sessionCaller(caller))),
  'engines.get': async ({ json, store, caller, params }) =>
    json(await store.engine.engines.get(params.engine_id, sessionCaller(caller))),
  'engines.execute': async ({ json, store, caller, params, body, signal }) =>
    json(await store.engine.engines.execute(params.engine_id, sessionCaller(caller), body, signal)),
  'engines.delete': async ({ json, store, caller, params }) =>
    json(await store.engine.engines.delete(params.engine_id, sessionCaller(caller))),
};
