import { type RouteDef, type RouteId, routes, routesById } from '@cartrita/contracts';
import type { HttpHandler } from 'msw';
import {
  type HandlerEnvironment,
  type RouteImplementation,
  type RouteImplementations,
  routeHandler,
} from '../route-handler.js';
import { createScenarios, type Scenarios } from '../scenarios.js';
import { type CartritaStore, createStore } from '../store.js';
import { chatImplementations } from './chat.js';
import { chatkitImplementations } from './chatkit.js';
import { realtimeImplementations } from './realtime.js';
import { systemImplementations } from './system.js';

/** The mock of every route of the table, by route id. */
export const implementations: RouteImplementations = {
  ...systemImplementations,
  ...chatkitImplementations,
  ...chatImplementations,
  ...realtimeImplementations,
};

/** Options of {@link createHandlers}. */
export interface CreateHandlersOptions {
  /** Where the mocked server lives. Default: the store's `baseURL`, else `http://localhost:8000`. */
  baseURL?: string;
  /** The fake's state. Default: a new store for `baseURL`. Pass one to seed it or look inside. */
  store?: CartritaStore;
  /** Fault switches. Default: a private set nobody can switch on. */
  scenarios?: Scenarios;
}

/**
 * MSW handlers for the routes of `table`, one per route, from the implementation of each route id.
 * Throws if a route of the table has no implementation, so a new route cannot silently lack a mock.
 */
export const handlersFor = (
  table: readonly RouteDef[],
  mocks: Partial<Record<string, unknown>>,
  environment: HandlerEnvironment,
): HttpHandler[] => {
  const missing = table.filter((route) => typeof mocks[route.id] !== 'function').map((route) => route.id);
  if (missing.length > 0) {
    throw new Error(
      `@cartrita/msw has no mock for the route(s) ${missing.join(', ')}: add them to the handlers`,
    );
  }
  return table.map((route) =>
    routeHandler(route as RouteDef & { id: RouteId }, mocks[route.id] as never, environment),
  );
};

/**
 * MSW handlers for every route of the contracts' route table, backed by a stateful fake of the
 * reference server and switchable faults.
 *
 * @example
 * const store = createStore();
 * const faults = createScenarios();
 * const server = setupServer(...createHandlers({ store, scenarios: faults }));
 * server.listen({ onUnhandledFrame: 'error' });
 */
export const createHandlers = (options: CreateHandlersOptions = {}): HttpHandler[] => {
  const store =
    options.store ?? createStore(options.baseURL === undefined ? {} : { baseURL: options.baseURL });
  const baseURL = (options.baseURL ?? store.baseURL).replace(/\/+$/, '');
  if (baseURL !== store.baseURL) {
    throw new Error(
      `createHandlers: baseURL ${baseURL} differs from the store's ${store.baseURL}; ` +
        'create the store with the same baseURL so its upload and preview URLs point at the handlers',
    );
  }
  return handlersFor(routes, implementations, {
    baseURL,
    store,
    scenarios: options.scenarios ?? createScenarios(),
  });
};

/**
 * One route's handler with your own implementation, still authenticated, validated and answered in
 * the envelope like the others. Prepend it with `server.use(...)` to change one route in one test.
 *
 * @example
 * server.use(
 *   mockRoute('chatkit.session.create', () => {
 *     throw new MockHttpError('PROVIDER_NOT_CONFIGURED', 'No model is configured');
 *   }, { store }),
 * );
 */
export const mockRoute = <K extends RouteId>(
  id: K,
  implementation: RouteImplementation<K>,
  options: CreateHandlersOptions = {},
): HttpHandler => {
  const store =
    options.store ?? createStore(options.baseURL === undefined ? {} : { baseURL: options.baseURL });
  return routeHandler(routesById[id] as RouteDef & { id: K }, implementation, {
    baseURL: (options.baseURL ?? store.baseURL).replace(/\/+$/, ''),
    store,
    scenarios: options.scenarios ?? createScenarios(),
  });
};
