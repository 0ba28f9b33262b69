/**
 * @module Limits counted in Redis, so every instance spends one budget, with this process's
 * memory as insurance while Redis cannot be reached.
 */
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { RedisConnection } from '../redis/connect-redis.js';
import type { LimiterFactory } from './limiter.js';

/** Options of {@link redisLimiter}. */
export interface RedisLimiterOptions {
  /**
   * A connected node-redis client. Open it with the offline queue disabled, so a count fails at
   * once while the connection is away instead of waiting for it (`createLimits` does).
   */
  client: RedisConnection;
  /** Prefix of every key, before the budget's own; default `cartrita:limits:`. */
  prefix?: string;
}

/**
 * Counts in Redis with `RateLimiterRedis` (the same fixed windows as in memory, one key per caller
 * with the window as its expiry), so that instances sharing the Redis share each budget. When
 * Redis is not ready or a count fails, the budget's insurance limiter counts instead: a
 * `RateLimiterMemory` with the same points, so during an outage each instance enforces the limit
 * on its own (a caller spread over N instances gets up to N times the budget) rather than
 * refusing everyone or no one. Windows must be whole seconds, as Redis expiries are.
 *
 * @example
 * rateLimit({ limit: 100, limiter: redisLimiter({ client }) });
 */
export const redisLimiter = (options: RedisLimiterOptions): LimiterFactory => {
  const prefix = options.prefix ?? 'cartrita:limits:';
  return ({ points, windowMs, keyPrefix }) => {
    if (!Number.isInteger(windowMs / 1000) || windowMs < 1000) {
      throw new TypeError(`redisLimiter: windowMs must be a whole number of seconds (got ${windowMs})`);
    }
    const duration = windowMs / 1000;
    return new RateLimiterRedis({
      storeClient: options.client,
      useRedisPackage: true,
      rejectIfRedisNotReady: true,
      points,
      duration,
      keyPrefix: `${prefix}${keyPrefix}`,
      insuranceLimiter: new RateLimiterMemory({ points, duration, keyPrefix }),
    });
  };
};
