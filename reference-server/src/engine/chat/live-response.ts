import type { ChatStreamFrame } from '@cartrita/contracts';
import type { StoredFrame } from '../../storage/response-store.js';

/** A frame with its place in the reply's stream. */
export interface SequencedFrame {
  seq: number;
  frame: ChatStreamFrame;
  /** The frame's JSON, as logged and sent. */
  data: string;
}

/** Receives the frames of a live reply. */
export type FrameListener = (frame: SequencedFrame | 'end') => void;

/** Options of {@link LiveResponse}. */
export interface LiveResponseOptions {
  id: string;
  userId: string;
  threadId: string;
  messageId: string;
  /** Persists frames; called with batches in order. */
  persist(frames: StoredFrame[]): Promise<void>;
  /** How long to gather frames before writing them: bounds what a crash can lose. */
  flushIntervalMs: number;
  /** Cancels the turn (aborts the provider call). */
  cancel(reason: string): void;
  /** How long the reply runs on with nobody listening before it is cancelled. */
  graceMs: number;
}

/**
 * A reply that is still being produced: it keeps every frame in memory (for resumes in this process),
 * writes them to the durable log in small batches, and fans them out to the connections listening.
 * When the last listener leaves, the reply runs on for a grace period so the client can come back;
 * after that the turn is cancelled and its partial text saved.
 */
export class LiveResponse {
  readonly id: string;
  readonly userId: string;
  readonly threadId: string;
  readonly messageId: string;
  /** The provider's failure, when the reply ended with one (an `HttpError` keeps its status). */
  failure: unknown;
  readonly #frames: SequencedFrame[] = [];
  readonly #listeners = new Set<FrameListener>();
  readonly #options: LiveResponseOptions;
  #pending: StoredFrame[] = [];
  #flushTimer: ReturnType<typeof setTimeout> | undefined;
  #flushing: Promise<void> = Promise.resolve();
  #graceTimer: ReturnType<typeof setTimeout> | undefined;
  #ended = false;

  constructor(options: LiveResponseOptions) {
    this.#options = options;
    this.id = options.id;
    this.userId = options.userId;
    this.threadId = options.threadId;
    this.messageId = options.messageId;
    // Until the first connection attaches, the grace period protects the reply too.
    this.#armGrace();
  }

  /** Whether the reply has ended (done, failed or cancelled). */
  get ended(): boolean {
    return this.#ended;
  }

  /** The number of the last frame so far. */
  get lastSeq(): number {
    return this.#frames.length;
  }

  /** Adds the next frame. */
  push(frame: ChatStreamFrame): void {
    const sequenced = { seq: this.#frames.length + 1, frame, data: JSON.stringify(frame) };
    this.#frames.push(sequenced);
    this.#pending.push({ seq: sequenced.seq, data: sequenced.data });
    this.#flushTimer ??= setTimeout(() => this.#flush(), this.#options.flushIntervalMs);
    for (const listener of this.#listeners) listener(sequenced);
  }

  /** Ends the reply: writes what is left and tells the listeners. */
  async end(): Promise<void> {
    this.#ended = true;
    clearTimeout(this.#graceTimer);
    await this.#flush();
    for (const listener of this.#listeners) listener('end');
    this.#listeners.clear();
  }

  /**
   * Listens from after frame `afterSeq`: the frames already there are delivered at once, in order, then
   * the live ones. Returns a function that stops listening.
   */
  listen(afterSeq: number, listener: FrameListener): () => void {
    for (const frame of this.#frames.slice(Math.max(0, afterSeq))) listener(frame);
    if (this.#ended) {
      listener('end');
      return () => {};
    }
    this.#listeners.add(listener);
    clearTimeout(this.#graceTimer);
    return () => {
      if (!this.#listeners.delete(listener)) return;
      if (this.#listeners.size === 0 && !this.#ended) this.#armGrace();
    };
  }

  #armGrace(): void {
    clearTimeout(this.#graceTimer);
    this.#graceTimer = setTimeout(() => {
      if (this.#listeners.size === 0 && !this.#ended) this.#options.cancel('Nobody came back for the reply.');
    }, this.#options.graceMs);
    this.#graceTimer.unref?.();
  }

  #flush(): Promise<void> {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length > 0) {
      // Batches are written one after another, so the log never has a gap a resume could fall into.
      this.#flushing = this.#flushing.then(() => this.#options.persist(batch)).catch(() => {});
    }
    return this.#flushing;
  }
}
