/** @module @cartrita/msw/node: the Cartrita mocks as an MSW server for Node (tests, scripts). */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import type { ActiveSpan, SpanContextStore, TextExtractor } from '@cartrita/engine';
import {
  allReaders,
  createInThreadExtractor,
  type ExtractionLimits,
  type OcrData,
} from '@cartrita/engine/extract';
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

const require = createRequire(import.meta.url);

/**
 * The server's extraction for the mocks in Node: PDFs with `unpdf`, Office, OpenDocument and HTML with
 * `officeparser`, images by OCR with `tesseract.js` and the English data of `@tesseract.js-data/eng`
 * (offline), within the server's limits. Each parser is loaded when the first file of its kind is
 * read. `setupCartritaServer` uses it for the store it makes; pass it to `createStore` for one of
 * your own. The parsers run in the test's thread (the server runs each file in a worker thread).
 *
 * @example
 * const store = createStore({ fileExtractor: nodeFileExtractor() });
 */
export const nodeFileExtractor = (limits?: Partial<ExtractionLimits>): TextExtractor =>
  createInThreadExtractor({
    readers: allReaders,
    ...(limits ? { limits } : {}),
    ocr: async () => require('@tesseract.js-data/eng') as OcrData,
  });

/**
 * `setupServer` from `msw/node` with handlers for every Cartrita route and the `/ws/chat` socket.
 * Tools and handlers run in QuickJS in this thread, under the limits the server's workers apply, and
 * uploaded files' text is extracted by the server's parsers ({@link nodeFileExtractor}).
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
      fileExtractor: nodeFileExtractor(),
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
