/**
 * @module The files' processing queue: every file goes `pending → processing → completed | failed`,
 * its progress only grows, and each change is stored and published. The queue is the stored
 * statuses: files left unfinished when a server stopped are taken up again by {@link
 * FileProcessingQueue.recover} when it starts.
 */
import type { FileProcessingUpdate, FileStatus } from '@cartrita/contracts';
import type { BlobStore } from '../blobs.js';
import type { Clock } from '../clock.js';
import { isHttpError } from '../errors.js';
import type { EventBus } from '../events.js';
import type { EngineLogger } from '../logger.js';
import { chunkText } from './chunker.js';
import { ExtractionError, type TextExtractor } from './extractor.js';
import type { AcceptedFileType } from './file-types.js';
import type { FileAreaRepositories, StoredFile } from './repositories.js';

/** The queue's limits. */
export interface FileQueueOptions {
  /** Files processed at once; default 1. */
  concurrency: number;
  /** The longest one file's extraction may take, in milliseconds; default 120 s. */
  extractionTimeoutMs: number;
  /** The most characters of text a file's index keeps; the rest is left out. Default 5,000,000. */
  maxTextChars: number;
}

/** What the queue works over. */
export interface FileQueueDeps {
  repositories: FileAreaRepositories;
  blobs: BlobStore;
  extractor: TextExtractor;
  bus: EventBus;
  clock: Clock;
  logger: EngineLogger;
}

/** The topic a user's file updates are published on. */
export const filesTopic = (userId: string): string => `files:${userId}`;

/** The message a file's change publishes. */
export const processingUpdate = (file: StoredFile): FileProcessingUpdate => ({
  type: 'file_processing_update',
  file_id: file.id,
  filename: file.filename,
  status: file.status,
  progress: file.progress,
  chunks_created: file.chunks_created,
  error: file.error,
});

/** Progress at each step of processing. */
const steps = { started: 5, read: 10, extracted: 70, chunked: 85, done: 100 } as const;

/** Why a job stopped without an outcome of its own. */
class Stopped extends Error {}

const concat = async (source: AsyncIterable<Uint8Array>): Promise<Uint8Array> => {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const part of source) {
    parts.push(part);
    size += part.length;
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
};

/** Runs the files' processing, a few at a time, in the order they came. */
export class FileProcessingQueue {
  readonly #deps: FileQueueDeps;
  readonly #options: FileQueueOptions;
  readonly #waiting: string[] = [];
  readonly #running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  #stopped = false;
  #idle: Array<() => void> = [];

  constructor(deps: FileQueueDeps, options: Partial<FileQueueOptions> = {}) {
    this.#deps = deps;
    this.#options = {
      concurrency: options.concurrency ?? 1,
      extractionTimeoutMs: options.extractionTimeoutMs ?? 120_000,
      maxTextChars: options.maxTextChars ?? 5_000_000,
    };
  }

  /** Puts a file in the queue (once). */
  enqueue(fileId: string): void {
    if (this.#stopped || this.#waiting.includes(fileId) || this.#running.has(fileId)) return;
    this.#waiting.push(fileId);
    this.#next();
  }

  /** Queues every file a stopped server left `pending` or `processing`; resolves how many. */
  async recover(): Promise<number> {
    const files = await this.#deps.repositories.files.unfinished();
    for (const file of files) this.enqueue(file.id);
    return files.length;
  }

  /** Stops a file's processing (it is being deleted): nothing more is written for it. */
  cancel(fileId: string): Promise<void> {
    const index = this.#waiting.indexOf(fileId);
    if (index >= 0) this.#waiting.splice(index, 1);
    const job = this.#running.get(fileId);
    if (!job) return Promise.resolve();
    job.controller.abort(new Stopped('deleted'));
    return job.done;
  }

  /** Resolves when nothing is waiting or running. */
  idle(): Promise<void> {
    if (this.#waiting.length === 0 && this.#running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /**
   * Stops taking files and ends the running ones without an outcome: they stay `processing`, and the
   * next start's {@link recover} processes them again.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#waiting.length = 0;
    const running = [...this.#running.values()];
    for (const job of running) job.controller.abort(new Stopped('stopping'));
    await Promise.all(running.map((job) => job.done));
  }

  #next(): void {
    while (!this.#stopped && this.#running.size < this.#options.concurrency && this.#waiting.length > 0) {
      const fileId = this.#waiting.shift() as string;
      const controller = new AbortController();
      const done = this.#process(fileId, controller.signal)
        .catch((error: unknown) =>
          this.#deps.logger.error({ err: error, fileId }, 'Processing a file failed unexpectedly'),
        )
        .finally(() => {
          this.#running.delete(fileId);
          this.#next();
        });
      this.#running.set(fileId, { controller, done });
    }
    if (this.#waiting.length === 0 && this.#running.size === 0) {
      for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  async #set(
    file: StoredFile,
    status: FileStatus,
    progress: number,
    extra: { chunks_created?: number; error?: string | null } = {},
    signal?: AbortSignal,
  ): Promise<StoredFile> {
    if (signal?.aborted) throw new Stopped('aborted');
    const updated = await this.#deps.repositories.files.update(file.id, {
      status,
      progress,
      ...extra,
      updated_at: this.#deps.clock.now().toISOString(),
    });
    if (!updated) throw new Stopped('gone');
    await this.#deps.bus
      .publish(filesTopic(updated.user_id), processingUpdate(updated))
      .catch((error: unknown) =>
        this.#deps.logger.warn({ err: error, fileId: file.id }, 'Publishing a file update failed'),
      );
    return updated;
  }

  async #process(fileId: string, signal: AbortSignal): Promise<void> {
    const { repositories, blobs } = this.#deps;
    let file = await repositories.files.get(fileId);
    if (!file || file.status === 'completed' || file.status === 'failed') return;
    try {
      file = await this.#set(file, 'processing', steps.started, {}, signal);
      const source = await blobs.get(file.blob_key);
      if (!source) throw new ExtractionError('The file’s bytes are missing from storage.');
      const bytes = await concat(source);
      file = await this.#set(file, 'processing', steps.read, {}, signal);
      const text = await this.#extract(file, bytes, signal);
      file = await this.#set(file, 'processing', steps.extracted, {}, signal);
      const chunks = chunkText(text.slice(0, this.#options.maxTextChars));
      file = await this.#set(file, 'processing', steps.chunked, {}, signal);
      const owner = file;
      await repositories.chunks.replace(
        owner.id,
        chunks.map((chunk, index) => ({ file_id: owner.id, user_id: owner.user_id, index, text: chunk })),
      );
      if (signal.aborted) throw new Stopped('aborted');
      await this.#set(file, 'completed', steps.done, { chunks_created: chunks.length, error: null });
    } catch (error) {
      if (error instanceof Stopped || signal.aborted) return;
      const reason =
        error instanceof ExtractionError || isHttpError(error)
          ? error.message
          : 'The file could not be processed.';
      if (!(error instanceof ExtractionError)) {
        this.#deps.logger.warn({ err: error, fileId }, 'Processing a file failed');
      }
      await repositories.chunks.deleteFile(fileId);
      await this.#set(file, 'failed', file.progress, { error: reason }).catch(() => {});
    }
  }

  async #extract(file: StoredFile, bytes: Uint8Array, signal: AbortSignal): Promise<string> {
    const timeout = new AbortController();
    const both = AbortSignal.any([signal, timeout.signal]);
    let lastProgress = file.progress;
    // Progress writes go one after another, and all are done before the next step writes: a late
    // one must never land after the file has moved on.
    let progressWrites: Promise<unknown> = Promise.resolve();
    let finished = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const seconds = this.#options.extractionTimeoutMs / 1000;
        timeout.abort();
        reject(new ExtractionError(`Extracting the text took longer than the limit of ${seconds} s.`));
      }, this.#options.extractionTimeoutMs);
    });
    const aborted = new Promise<never>((_, reject) => {
      if (signal.aborted) reject(new Stopped('aborted'));
      signal.addEventListener('abort', () => reject(new Stopped('aborted')), { once: true });
    });
    // Whichever loses the race must not reject unhandled later.
    expired.catch(() => {});
    aborted.catch(() => {});
    try {
      return await Promise.race([
        this.#deps.extractor.extract({
          bytes,
          content_type: file.content_type as AcceptedFileType,
          filename: file.filename,
          signal: both,
          onProgress: (fraction) => {
            const progress = Math.floor(
              steps.read + Math.min(1, Math.max(0, fraction)) * (steps.extracted - steps.read - 1),
            );
            if (finished || progress <= lastProgress || signal.aborted) return;
            lastProgress = progress;
            progressWrites = progressWrites
              .then(() => this.#set(file, 'processing', progress, {}, signal))
              .catch(() => {});
          },
        }),
        expired,
        aborted,
      ]);
    } finally {
      clearTimeout(timer);
      finished = true;
      await progressWrites;
    }
  }
}
