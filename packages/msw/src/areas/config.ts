/** @module The mocks of Local Agent Studio's configuration routes (seed 004), by the engine's rules. */
import type { configRoutes, IdsOf } from '@cartrita/contracts';
import type { RouteImplementation } from '../route-handler.js';

/** The mocks of the configuration routes, by route id. The mock has no configuration file. */
export const configImplementations: { readonly [K in IdsOf<typeof configRoutes>]: RouteImplementation<K> } = {
  'config.list': async ({ json, store }) => json(await store.engine.config.all()),
  'config.reload': async ({ json, store }) => json(await store.engine.config.reload()),
  'config.validate': async ({ json, store, params }) =>
    json(await store.engine.config.validate(params.config_type)),
  'config.get': async ({ json, store, params }) => json(await store.engine.config.get(params.config_type)),
  'config.update': async ({ json, store, params, body }) =>
    json(await store.engine.config.update(params.config_type, body)),
};
