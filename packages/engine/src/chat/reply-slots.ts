/** @module How many replies may run at once: past it, a new one is refused before it starts. */
import { HttpError } from '../errors.js';

/** Options of {@link ReplySlots}. */
export interface ReplySlotsOptions {
  /** Replies that may run at once in this process, over every door; `0` for no limit. */
  maxReplies: number;
  /** Replies one user may have running at once; `0` for no limit. */
  maxRepliesPerUser: number;
  /** The `Retry-After` a refused request is given, in seconds. Default 1. */
  retryAfterSeconds?: number;
}

/**
 * Counts the replies running in this process, in all and per user, and refuses a new one past
 * either limit with 503 `SERVICE_UNAVAILABLE` and `Retry-After`, before its stream starts. A server
 * past its capacity then sheds load on purpose, with an answer a client knows how to retry, instead
 * of letting every reply slow down until connections time out at random.
 */
export class ReplySlots {
  readonly #options: Required<ReplySlotsOptions>;
  readonly #perUser = new Map<string, number>();
  #running = 0;

  constructor(options: ReplySlotsOptions) {
    this.#options = { retryAfterSeconds: 1, ...options };
  }

  /** Replies running now. */
  get running(): number {
    return this.#running;
  }

  /**
   * Takes a slot for a reply of `userId`; the returned function gives it back (calling it again
   * does nothing). Throws a 503 `HttpError` when no slot is free.
   */
  acquire(userId: string): () => void {
    const { maxReplies, maxRepliesPerUser } = this.#options;
    const mine = this.#perUser.get(userId) ?? 0;
    if (maxReplies > 0 && this.#running >= maxReplies) {
      throw this.#refusal(
        `The server is running ${maxReplies} replies, its limit. Try again shortly.`,
        'process',
      );
    }
    if (maxRepliesPerUser > 0 && mine >= maxRepliesPerUser) {
      throw this.#refusal(
        `You have ${maxRepliesPerUser} replies running, the limit per user. Wait for one to finish.`,
        'user',
      );
    }
    this.#running++;
    this.#perUser.set(userId, mine + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#running--;
      const left = (this.#perUser.get(userId) ?? 1) - 1;
      if (left > 0) this.#perUser.set(userId, left);
      else this.#perUser.delete(userId);
    };
  }

  #refusal(message: string, limit: 'process' | 'user'): HttpError {
    const seconds = String(this.#options.retryAfterSeconds);
    return new HttpError('SERVICE_UNAVAILABLE', message, {
      details: { limit },
      headers: { 'Retry-After': seconds, 'retry-after-ms': String(this.#options.retryAfterSeconds * 1000) },
    });
  }
}

/** Runs `events` holding `release` until they end, fail or are abandoned, then calls it. */
export async function* releasingAfter<T>(events: AsyncIterable<T>, release: () => void): AsyncGenerator<T> {
  try {
    yield* events;
  } finally {
    release();
  }
}
