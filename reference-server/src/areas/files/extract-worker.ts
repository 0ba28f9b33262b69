/**
 * @module The worker thread a file's text is extracted in: one file per worker, so a parser that
 * runs away is ended with its thread and the server's event loop never waits on it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ExtractionError } from '@cartrita/engine';
import { type ExtractionLimits, extractText } from './extract-text.js';

/** What the worker is started with. */
export interface ExtractJob {
  bytes: Uint8Array;
  contentType: string;
  limits: ExtractionLimits;
}

/** What the worker posts: progress, then the text or why there is none. */
export type ExtractMessage =
  | { kind: 'progress'; fraction: number }
  | { kind: 'done'; text: string }
  | { kind: 'failed'; message: string; expected: boolean };

const job = workerData as ExtractJob;
const post = (message: ExtractMessage) => parentPort?.postMessage(message);

extractText({
  bytes: job.bytes,
  contentType: job.contentType,
  limits: job.limits,
  onProgress: (fraction) => post({ kind: 'progress', fraction }),
}).then(
  (text) => post({ kind: 'done', text }),
  (error: unknown) =>
    post({
      kind: 'failed',
      message: error instanceof Error ? error.message : String(error),
      expected: error instanceof ExtractionError,
    }),
);
