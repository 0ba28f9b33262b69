/**
 * @module Per-provider limits: a token bucket holding twice the rate, and a FIFO queue behind it.
 * Each call reserves the next free turn (the bucket's "theoretical arrival time"), so turns are
 * handed out in the order calls arrive, on one instance or on every instance sharing a store.
 */

/** One provider's budget: so many calls per window. */
export interface ProviderLimit {
  /** Calls per window (`RATE_LIMIT_OPENAI_PER_MINUTE`). */
  perWindow: number;
  /** The window, in milliseconds: 60 000 for per-minute limits, 3 600 000 for GitHub's per hour. */
  windowMs: number;
}

/** What the limiter is asked for one call. */
export interface LimitRequest {
  /** Milliseconds between two tokens: `windowMs / perWindow`. */
  intervalMs: number;
  /** Tokens the bucket holds when full: twice the rate. */
  burst: number;
  /** The longest wait for a turn (the queue timeout); a turn further away is refused. */
  maxWaitMs: number;
}

/** A limiter's answer: wait this long for the turn, or come back later. */
export type LimitDecision = { admitted: true; waitMs: number } | { admitted: false; retryAfterMs: number };

/**
 * Where turns are counted: this process's memory, or a store every instance shares (Redis on the
 * server). `reserve` is atomic per key: two calls never get the same turn.
 */
export interface ProviderLimiter {
  reserve(key: string, request: LimitRequest): Promise<LimitDecision>;
  /**
   * What `reserve` would answer now, without reserving anything: a read-only look at the bucket,
   * for status pages. A limiter without it is taken to have a free turn.
   */
  peek?(key: string, request: LimitRequest): Promise<LimitDecision>;
}

/** The next turn of a bucket whose next free turn is at `nextFree` (ms), at time `now`. */
export const decideTurn = (
  nextFree: number,
  now: number,
  request: LimitRequest,
): { decision: LimitDecision; nextFree?: number } => {
  const start = Math.max(nextFree, now);
  // A full bucket lets `burst` calls through at once: the turn is `burst - 1` intervals early.
  const waitMs = Math.max(0, start - (request.burst - 1) * request.intervalMs - now);
  if (waitMs > request.maxWaitMs) {
    return { decision: { admitted: false, retryAfterMs: Math.ceil(waitMs - request.maxWaitMs) } };
  }
  return { decision: { admitted: true, waitMs }, nextFree: start + request.intervalMs };
};

/**
 * Counts turns in this process's memory: enough for one instance, and the limiter of the browser
 * mocks. `now` is the clock (milliseconds). One number per provider is kept.
 */
export const createMemoryProviderLimiter = (now: () => number = Date.now): Required<ProviderLimiter> => {
  const buckets = new Map<string, number>();
  return {
    async reserve(key, request) {
      const at = now();
      const { decision, nextFree } = decideTurn(buckets.get(key) ?? 0, at, request);
      if (nextFree !== undefined) buckets.set(key, nextFree);
      return decision;
    },
    async peek(key, request) {
      return decideTurn(buckets.get(key) ?? 0, now(), request).decision;
    },
  };
};

/** The default budgets of the seed: OpenAI 100/min, Hugging Face 200/min, Deepgram 30/min, Tavily 100/min, GitHub 500/hour. */
export const defaultProviderLimits: Readonly<Record<string, ProviderLimit>> = {
  openai: { perWindow: 100, windowMs: 60_000 },
  huggingface: { perWindow: 200, windowMs: 60_000 },
  deepgram: { perWindow: 30, windowMs: 60_000 },
  tavily: { perWindow: 100, windowMs: 60_000 },
  github: { perWindow: 500, windowMs: 3_600_000 },
};
