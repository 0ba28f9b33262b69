/** @module The mocks of Local Agent Studio's memory routes (seed 004), by the engine's rules. */
import type { IdsOf, memoryRoutes } from '@cartrita/contracts';
import { memoryUserOf } from '@cartrita/engine';
import type { RouteImplementation } from '../route-handler.js';

/** The mocks of the memory routes, by route id. */
export const memoryImplementations: { readonly [K in IdsOf<typeof memoryRoutes>]: RouteImplementation<K> } = {
  'memory.list': async ({ json, store, caller, query }) =>
    json(await store.engine.memory.list(query, memoryUserOf(caller.auth))),
  'memory.create': async ({ json, store, caller, body }) =>
    json(await store.engine.memory.create(body, memoryUserOf(caller.auth))),
  'memory.clear': async ({ json, store, caller, body }) =>
    json(await store.engine.memory.clear(body, memoryUserOf(caller.auth))),
  'memory.get': async ({ json, store, caller, params }) =>
    json(await store.engine.memory.get(params.memory_id, memoryUserOf(caller.auth))),
  'memory.update': async ({ json, store, caller, params, body }) =>
    json(await store.engine.memory.update(params.memory_id, body, memoryUserOf(caller.auth))),
  'memory.delete': async ({ json, store, caller, params }) =>
    json(await store.engine.memory.delete(params.memory_id, memoryUserOf(caller.auth))),
};
