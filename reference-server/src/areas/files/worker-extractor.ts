/**
 * @module The server's extractor: each file's text is extracted in a worker thread of its own, under
 * a heap limit, and the thread is ended when the file is deleted, the server stops, or the engine's
 * time limit passes.
 */
import { Worker } from 'node:worker_threads';
import { ExtractionError, type TextExtractor } from '@cartrita/engine';
import { defaultExtractionLimits, type ExtractionLimits } from './extract-text.js';
import type { ExtractJob, ExtractMessage } from './extract-worker.js';

// From sources (tests), the worker is the built one: a worker thread runs JavaScript, not TypeScript.
const workerUrl = import.meta.url.endsWith('.ts')
  ? new URL('../../../dist/areas/files/extract-worker.js', import.meta.url)
  : new URL('./extract-worker.js', import.meta.url);

/** Options of {@link createWorkerExtractor}. */
export interface WorkerExtractorOptions {
  limits?: Partial<ExtractionLimits>;
  /** The heap a worker may use, in MB; default 512. */
  maxHeapMb?: number;
}

/**
 * The extractor the reference server gives the engine: PDF, Office, OpenDocument, HTML and images,
 * each file in a worker thread of its own.
 *
 * @example
 * createEngine({ ..., files: { extractor: createWorkerExtractor() } });
 */
export const createWorkerExtractor = (options: WorkerExtractorOptions = {}): TextExtractor => {
  const limits = { ...defaultExtractionLimits, ...options.limits };
  const maxHeapMb = options.maxHeapMb ?? 512;
  return {
    extract: ({ bytes, content_type, signal, onProgress }) =>
      new Promise<string>((resolve, reject) => {
        if (signal.aborted) {
          reject(new ExtractionError('The extraction was stopped.'));
          return;
        }
        const job: ExtractJob = { bytes, contentType: content_type, limits };
        const worker = new Worker(workerUrl, {
          workerData: job,
          resourceLimits: { maxOldGenerationSizeMb: maxHeapMb },
          stdout: true,
          stderr: true,
        });
        // What a parser prints is not the server's to show.
        worker.stdout.resume();
        worker.stderr.resume();
        let settled = false;
        const finish = (outcome: () => void) => {
          if (settled) return;
          settled = true;
          signal.removeEventListener('abort', stop);
          outcome();
          void worker.terminate();
        };
        const stop = () => finish(() => reject(new ExtractionError('The extraction was stopped.')));
        signal.addEventListener('abort', stop, { once: true });
        worker.on('message', (message: ExtractMessage) => {
          if (settled) return;
          if (message.kind === 'progress') onProgress?.(message.fraction);
          else if (message.kind === 'done') finish(() => resolve(message.text));
          else {
            const text = message.expected
              ? message.message
              : `The file could not be read: ${message.message}`;
            finish(() => reject(new ExtractionError(text)));
          }
        });
        worker.on('error', (error) =>
          finish(() =>
            reject(
              new ExtractionError(
                /heap|memory/i.test(error.message)
                  ? `Extracting the text needed more than the limit of ${maxHeapMb} MB of memory.`
                  : `The file could not be read: ${error.message}`,
                { cause: error },
              ),
            ),
          ),
        );
        worker.on('exit', (code) =>
          finish(() =>
            reject(new ExtractionError(`The extraction ended without a result (exit code ${code}).`)),
          ),
        );
      }),
  };
};
