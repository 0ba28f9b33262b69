/**
 * @module Every limit of the server (requests per caller, new sockets per address, failed
 * authentications per address) counts through `rate-limiter-flexible`, in memory by default.
 */
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** What one budget is: so many points per window, its keys under a prefix. */
export interface LimiterSpec {
  points: number;
  windowMs: number;
  keyPrefix: string;
}

/** Makes the limiter of one budget; the default keeps counts in this process's memory. */
export type LimiterFactory = (spec: LimiterSpec) => RateLimiterAbstract;

/** Counts in this process's memory: one fixed window per key, from its first hit. */
export const memoryLimiter: LimiterFactory = ({ points, windowMs, keyPrefix }) =>
  new RateLimiterMemory({ points, duration: windowMs / 1000, keyPrefix });

/** The state of a key's window after a hit. */
export interface LimitHit {
  /** Whether this hit went over the budget. */
  limited: boolean;
  /** Points left in the window. */
  remaining: number;
  /** Milliseconds until the window ends and the budget is whole again. */
  resetMs: number;
}

/** Counts `points` against `key`; resolves whether that went over the budget. */
export const hit = async (limiter: RateLimiterAbstract, key: string, points = 1): Promise<LimitHit> => {
  try {
    const res = await limiter.consume(key, points);
    return { limited: false, remaining: res.remainingPoints, resetMs: Math.max(0, res.msBeforeNext) };
  } catch (error) {
    // The library rejects with its result object when the budget is spent, and with an Error when
    // its store fails; only the first is an answer.
    if (error instanceof RateLimiterRes) {
      return { limited: true, remaining: 0, resetMs: Math.max(0, error.msBeforeNext) };
    }
    throw error;
  }
};

/** How long `key` must wait while its budget of `points` is spent, or 0 when it may go on. */
export const waitFor = async (limiter: RateLimiterAbstract, key: string, points: number): Promise<number> => {
  const res = await limiter.get(key);
  return res !== null && res.consumedPoints >= points ? Math.max(1, res.msBeforeNext) : 0;
};
