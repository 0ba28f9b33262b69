/** @module Every route's mock as an MSW handler, and one route at a time. */
import { type RouteDef, type RouteId, routes, routesById } from '@cartrita/contracts';
import type { HttpHandler } from 'msw';
import { agentImplementations } from './areas/agents.js';
import { chatImplementations } from './areas/chat.js';
import { chatkitImplementations } from './areas/chatkit.js';
import { computerUseImplementations } from './areas/computer-use.js';
import { configImplementations } from './areas/config.js';
import { conversationImplementations } from './areas/conversations.js';
import { engineImplementations } from './areas/engines.js';
import { fileImplementations } from './areas/files.js';
import { githubImplementations } from './areas/github.js';
import { huggingfaceImplementations } from './areas/huggingface.js';
import { memoryImplementations } from './areas/memory.js';
import { observabilityImplementations } from './areas/observability.js';
import { personaImplementations } from './areas/personas.js';
import { searchImplementations } from './areas/search.js';
import { sessionImplementations } from './areas/sessions.js';
import { studioImplementations } from './areas/studio.js';
import { systemImplementations } from './areas/system.js';
import { voiceImplementations } from './areas/voice.js';
import {
  type HandlerEnvironment,
  type RouteImplementation,
  type RouteImplementations,
  routeHandler,
} from './route-handler.js';
import { createScenarios, type Scenarios } from './scenarios.js';
import { type CartritaStore, createStore } from './state.js';

export * from './areas/agents.js';
// Each area's mocks, exported with the handlers so a user can copy one.
export * from './areas/chat.js';
export * from './areas/chatkit.js';
export * from './areas/computer-use.js';
export * from './areas/config.js';
export * from './areas/conversations.js';
export * from './areas/engines.js';
export * from './areas/files.js';
export * from './areas/github.js';
export * from './areas/huggingface.js';
export * from './areas/memory.js';
export * from './areas/observability.js';
export * from './areas/personas.js';
export * from './areas/search.js';
export * from './areas/sessions.js';
export * from './areas/studio.js';
export * from './areas/system.js';
export * from './areas/voice.js';

/** The mock of every route of the table, by route id: one line per area. */
export const implementations: RouteImplementations = {
  ...systemImplementations,
  ...chatkitImplementations,
  ...chatImplementations,
  ...sessionImplementations,
  ...studioImplementations,
  ...conversationImplementations,
  ...engineImplementations,
  ...observabilityImplementations,
  ...memoryImplementations,
  ...configImplementations,
  ...fileImplementations,
  ...searchImplementations,
  ...githubImplementations,
  ...huggingfaceImplementations,
  ...computerUseImplementations,
  ...personaImplementations,
  ...agentImplementations,
  ...voiceImplementations,
};

/** Options of {@link createHandlers}. */
export interface CreateHandlersOptions {
  /** Where the mocked server lives. Default: the store's `baseURL`, else `http://localhost:8000`. */
  baseURL?: string;
  /** The mock's state. Default: a new store for `baseURL`. Pass one to seed it or look inside. */
  store?: CartritaStore;
  /** Fault switches. Default: a private set nobody can switch on. */
  scenarios?: Scenarios;
}

const environmentOf = (options: CreateHandlersOptions, caller: string): HandlerEnvironment => {
  const store =
    options.store ?? createStore(options.baseURL === undefined ? {} : { baseURL: options.baseURL });
  const baseURL = (options.baseURL ?? store.baseURL).replace(/\/+$/, '');
  if (baseURL !== store.baseURL) {
    throw new Error(
      `${caller}: baseURL ${baseURL} differs from the store's ${store.baseURL}; ` +
        'create the store with the same baseURL so its upload and preview URLs point at the handlers',
    );
  }
  return { baseURL, store, scenarios: options.scenarios ?? createScenarios() };
};

/**
 * MSW handlers for every route of the contracts' route table, running the reference server's engine
 * over memory, with switchable faults.
 *
 * @example
 * const store = createStore();
 * const faults = createScenarios();
 * const server = setupServer(...createHandlers({ store, scenarios: faults }));
 * server.listen({ onUnhandledFrame: 'error' });
 */
export const createHandlers = (options: CreateHandlersOptions = {}): HttpHandler[] => {
  const environment = environmentOf(options, 'createHandlers');
  return (routes as readonly RouteDef[]).map((route) =>
    routeHandler(
      route as RouteDef & { id: RouteId },
      implementations[route.id as RouteId] as never,
      environment,
    ),
  );
};

/**
 * One route's handler with your own implementation, still authorised, validated and answered in the
 * envelope like the others. Prepend it with `server.use(...)` to change one route in one test.
 *
 * @example
 * server.use(
 *   mockRoute('chatkit.session.create', () => {
 *     throw new HttpError('PROVIDER_NOT_CONFIGURED', 'No model is configured');
 *   }, { store }),
 * );
 */
export const mockRoute = <K extends RouteId>(
  id: K,
  implementation: RouteImplementation<K>,
  options: CreateHandlersOptions = {},
): HttpHandler =>
  routeHandler(routesById[id] as RouteDef & { id: K }, implementation, environmentOf(options, 'mockRoute'));
