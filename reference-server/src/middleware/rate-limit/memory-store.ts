/** @module The in-memory rate-limit store: one process, bounded memory. */

/** The state of one key's window after counting a request. */
export interface RateLimitHit {
  /** Requests counted in the current window, this one included. */
  count: number;
  /** When the window ends, in milliseconds since the epoch. */
  resetAt: number;
}

/**
 * Where request counts live. The in-memory store serves one process; a shared store (Redis) lets
 * several instances enforce one limit.
 */
export interface RateLimitStore {
  /** Counts one request for `key` in a window of `windowMs` starting at its first request. */
  increment(key: string, windowMs: number, now: number): RateLimitHit | Promise<RateLimitHit>;
}

/** Options of {@link MemoryRateLimitStore}. */
export interface MemoryRateLimitStoreOptions {
  /** The most keys kept; beyond it the oldest window is dropped. Default 100 000. */
  maxKeys?: number;
}

/**
 * Fixed windows in a `Map`. Expired windows are swept at most once per window length, and the map
 * never holds more than `maxKeys` entries, so a flood of distinct addresses cannot exhaust memory.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly #windows = new Map<string, RateLimitHit>();
  readonly #maxKeys: number;
  #nextSweep = 0;

  constructor(options: MemoryRateLimitStoreOptions = {}) {
    const maxKeys = options.maxKeys ?? 100_000;
    if (!Number.isInteger(maxKeys) || maxKeys < 1) {
      throw new TypeError('MemoryRateLimitStore: maxKeys must be a positive integer');
    }
    this.#maxKeys = maxKeys;
  }

  /** The number of windows held, expired or not. */
  get size(): number {
    return this.#windows.size;
  }

  increment(key: string, windowMs: number, now: number): RateLimitHit {
    if (now >= this.#nextSweep) {
      this.#sweep(now);
      this.#nextSweep = now + windowMs;
    }
    const current = this.#windows.get(key);
    if (current !== undefined && current.resetAt > now) {
      current.count += 1;
      return { ...current };
    }
    // Re-inserting keeps the map ordered by window start, so the first entry is the oldest.
    this.#windows.delete(key);
    while (this.#windows.size >= this.#maxKeys) {
      const oldest = this.#windows.keys().next().value as string;
      this.#windows.delete(oldest);
    }
    const hit = { count: 1, resetAt: now + windowMs };
    this.#windows.set(key, hit);
    return { ...hit };
  }

  #sweep(now: number): void {
    for (const [key, window] of this.#windows) {
      if (window.resetAt <= now) this.#windows.delete(key);
    }
  }
}
