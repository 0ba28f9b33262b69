/** @module A reply still being produced: its frames durable before anyone sees them. */
import type { ChatStreamFrame } from '@cartrita/contracts';
import type { StoredFrame } from './repositories.js';

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
  /** Told when writing frames to the log failed (the frames are still delivered). */
  onPersistError?(error: unknown): void;
  /** Cancels the turn (aborts the provider call). */
  cancel(reason: string): void;
  /** How long the reply runs on with nobody listening before it is cancelled. */
  graceMs: number;
}

/**
 * A reply that is still being produced. Its frames are written to the durable log before anyone
 * sees them (group commit: a frame that arrives while a write is under way goes into the next one),
 * so a client never holds a frame the log lacks, and a reply cut by a crash resumes exactly where
 * its client stopped. Frames are kept in memory too, for resumes in this process. When the last
 * listener leaves, the reply runs on for a grace period so the client can come back; after that the
 * turn is cancelled and its partial text saved.
 */
export class LiveResponse {
  readonly id: string;
  readonly userId: string;
  readonly threadId: string;
  readonly messageId: string;
  /** The provider's failure, when the reply ended with one (an `HttpError` keeps its status). */
  failure: unknown;
  /**
   * Every frame's JSON so far, as logged; frame `seq` is at `seq - 1`. The frame objects go to the
   * listeners of the moment only.
   */
  readonly #frames: string[] = [];
  /** The frames pushed but not durable yet, with their objects. */
  #unwritten: SequencedFrame[] = [];
  readonly #listeners = new Set<FrameListener>();
  readonly #options: LiveResponseOptions;
  /** How many frames are durable, and so visible to listeners. */
  #durable = 0;
  #writing: Promise<void> | undefined;
  #graceTimer: ReturnType<typeof setTimeout> | undefined;
  #ending = false;
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

  /** Whether the reply has ended (done, failed or cancelled) and every frame was delivered. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Whether the turn has finished producing frames. */
  get ending(): boolean {
    return this.#ending;
  }

  /** The number of the last frame so far. */
  get lastSeq(): number {
    return this.#frames.length;
  }

  /** Every frame so far, as logged. */
  get log(): StoredFrame[] {
    return this.#stored(0, this.#frames.length);
  }

  /** Adds the next frame; it reaches listeners once it is in the durable log. */
  push(frame: ChatStreamFrame): void {
    const data = JSON.stringify(frame);
    this.#frames.push(data);
    this.#unwritten.push({ seq: this.#frames.length, data, frame });
    this.#write();
  }

  /** Ends the reply once every frame is written and delivered, then tells the listeners. */
  async end(): Promise<void> {
    this.#ending = true;
    this.#disarmGrace();
    while (this.#writing) await this.#writing;
    this.#ended = true;
    for (const listener of this.#listeners) listener('end');
    this.#listeners.clear();
  }

  /**
   * Listens from after frame `afterSeq`: the durable frames already there are delivered at once, in
   * order, then the live ones. Returns a function that stops listening.
   */
  listen(afterSeq: number, listener: FrameListener): () => void {
    for (const { seq, data } of this.#stored(Math.max(0, afterSeq), this.#durable)) {
      listener({ seq, data, frame: JSON.parse(data) as ChatStreamFrame });
    }
    if (this.#ended) {
      listener('end');
      return () => {};
    }
    // A listener that resumes from beyond what is durable must not be handed those frames twice.
    const from = Math.max(afterSeq, this.#durable);
    const wrapped: FrameListener = (frame) => {
      if (frame === 'end' || frame.seq > from) listener(frame);
    };
    this.#listeners.add(wrapped);
    this.#disarmGrace();
    return () => {
      if (!this.#listeners.delete(wrapped)) return;
      if (this.#listeners.size === 0 && !this.#ended) this.#armGrace();
    };
  }

  /** The frames from index `start` up to `end` (exclusive), with their numbers. */
  #stored(start: number, end: number): StoredFrame[] {
    return this.#frames.slice(start, end).map((data, i) => ({ seq: start + i + 1, data }));
  }

  /** Stops the grace period and lets its timer go (a reply may stream for minutes without one). */
  #disarmGrace(): void {
    clearTimeout(this.#graceTimer);
    this.#graceTimer = undefined;
  }

  #armGrace(): void {
    clearTimeout(this.#graceTimer);
    this.#graceTimer = setTimeout(() => {
      if (this.#listeners.size === 0 && !this.#ending)
        this.#options.cancel('Nobody came back for the reply.');
    }, this.#options.graceMs);
    // In Node, a pending grace period must not keep the process alive.
    (this.#graceTimer as { unref?: () => void }).unref?.();
  }

  /** Writes the frames not yet durable, then delivers them; loops while more arrived meanwhile. */
  #write(): void {
    if (this.#writing) return;
    this.#writing = (async () => {
      while (this.#unwritten.length > 0) {
        const batch = this.#unwritten;
        this.#unwritten = [];
        try {
          await this.#options.persist(this.#stored(this.#durable, this.#durable + batch.length));
        } catch (error) {
          // Availability wins over durability: the reply goes on, and the failure is reported once.
          this.#options.onPersistError?.(error);
        }
        this.#durable += batch.length;
        for (const frame of batch) for (const listener of this.#listeners) listener(frame);
      }
      this.#writing = undefined;
    })();
  }
}
