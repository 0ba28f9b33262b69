/** @module @cartrita/msw/node: the Cartrita mocks as an MSW server for Node (tests, scripts). */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ActiveSpan, SpanContextStore } from '@cartrita/engine';
import { createQuickJsSandbox } from '@cartrita/engine/quickjs';
import { type SetupServer, setupServer } from 'msw/node';
import { realtimeHandlers } from './areas/chat.js';
import { eventStreamHandlers } from './areas/sessions.js';
import { studioSocketHandlers } from './areas/studio.js';
import { type CreateHandlersOptions, createHandlers } from './handlers.js';
import { createScenarios, type Scenarios } from './scenarios.js';
import { type CartritaStore, createStore } from './state.js';

/** Options of {@link setupCartritaServer}. */
export type CartritaServerOptions = CreateHandlersOptions;

/** An MSW `SetupServer` that also exposes the fake's state and fault switches. */
export interface CartritaServer extends SetupServer {
  /** The mock's state: script replies with `respondWith`, read or seed its records. */
  readonly store: CartritaStore;
  /** The fault switches of these handlers. */
  readonly scenarios: Scenarios;
  /** Forgets the mock's state, turns every fault off and drops handlers added with `use`. */
  reset(): void;
}

/**
 * The active span over Node's `AsyncLocalStorage`: it follows every `await`, so the spans a mock's
 * engine records nest under its request's as they do on the server. `setupCartritaServer` uses it
 * for the store it makes; pass it to `createStore` for one of your own.
 *
 * @example
 * const store = createStore({ spanContext: asyncSpanContext() });
 */
export const asyncSpanContext = (): SpanContextStore => {
  const storage = new AsyncLocalStorage<ActiveSpan | undefined>();
  return { active: () => storage.getStore(), run: (span, fn) => storage.run(span, fn) };
};

/**
 * `setupServer` from `msw/node` with handlers for every Cartrita route and the `/ws/chat` socket.
 * Tools and handlers run in QuickJS in this thread, under the limits the server's workers apply.
 *
 * @example
 * const server = setupCartritaServer();
 * beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
 * afterEach(() => server.reset());
 * afterAll(() => server.close());
 * server.store.respondWith('Hello from the mock');
 */
export const setupCartritaServer = (options: CartritaServerOptions = {}): CartritaServer => {
  const store =
    options.store ??
    createStore({
      ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
      spanContext: asyncSpanContext(),
      sandbox: createQuickJsSandbox(),
    });
  const scenarios = options.scenarios ?? createScenarios();
  const server = setupServer(
    ...createHandlers({ ...options, store, scenarios }),
    ...realtimeHandlers({ store }),
    ...eventStreamHandlers({ store }),
    ...studioSocketHandlers({ store }),
  );
  return Object.assign(server, {
    store,
    scenarios,
    reset() {
      store.reset();
      scenarios.reset();
      server.resetHandlers();
    },
  });
};

export type { SetupServer };
