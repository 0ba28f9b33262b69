/** @module @cartrita/msw/browser: the Cartrita mocks as an MSW service worker (demos, widget development). */
import type { TextExtractor } from '@cartrita/engine';
import { createInThreadExtractor, readPdf } from '@cartrita/engine/extract/pdf';
import { type SetupWorker, setupWorker } from 'msw/browser';
import { realtimeHandlers } from './areas/chat.js';
import { eventStreamHandlers } from './areas/sessions.js';
import { studioSocketHandlers } from './areas/studio.js';
import { type CreateHandlersOptions, createHandlers } from './handlers.js';
import { createScenarios, type Scenarios } from './scenarios.js';
import { type CartritaStore, createStore } from './state.js';

/** Options of {@link setupCartritaWorker}. */
export type CartritaWorkerOptions = CreateHandlersOptions;

/** An MSW `SetupWorker` that also exposes the fake's state and fault switches. */
export interface CartritaWorker extends SetupWorker {
  /** The mock's state: script replies with `respondWith`, read or seed its records. */
  readonly store: CartritaStore;
  /** The fault switches of these handlers. */
  readonly scenarios: Scenarios;
  /** Forgets the mock's state, turns every fault off and drops handlers added with `use`. */
  reset(): void;
}

/**
 * The extraction a browser can do: PDFs with `unpdf` (pdf.js runs in browsers), and the text formats
 * the engine reads itself. Office, OpenDocument, HTML and image files end `failed` with an
 * `ExtractionError` whose reason says so, as their parsers need Node. `setupCartritaWorker` uses it
 * for the store it makes.
 *
 * @example
 * const store = createStore({ baseURL: location.origin, fileExtractor: browserFileExtractor() });
 */
export const browserFileExtractor = (): TextExtractor =>
  createInThreadExtractor({
    readers: { pdf: readPdf },
    unsupportedHint:
      'The browser mocks read PDF and text formats only; Office, OpenDocument, HTML and images are read by the server and by @cartrita/msw/node.',
  });

/**
 * `setupWorker` from `msw/browser` with handlers for every Cartrita route and the `/ws/chat` socket. Serve MSW's
 * `mockServiceWorker.js` (`npx msw init public/`) and `await worker.start()` before the page talks
 * to the API.
 *
 * @example
 * const worker = setupCartritaWorker({ baseURL: location.origin });
 * await worker.start({ onUnhandledFrame: 'bypass' });
 */
export const setupCartritaWorker = (options: CartritaWorkerOptions = {}): CartritaWorker => {
  const store =
    options.store ??
    createStore({
      ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
      fileExtractor: browserFileExtractor(),
    });
  const scenarios = options.scenarios ?? createScenarios();
  const worker = setupWorker(
    ...createHandlers({ ...options, store, scenarios }),
    ...realtimeHandlers({ store }),
    ...eventStreamHandlers({ store }),
    ...studioSocketHandlers({ store }),
  );
  return Object.assign(worker, {
    store,
    scenarios,
    reset() {
      store.reset();
      scenarios.reset();
      worker.resetHandlers();
    },
  });
};

export type { SetupWorker };
