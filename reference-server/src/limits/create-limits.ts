/** @module Where the server's limits count: this process's memory, or Redis shared by every instance. */
import type { EngineLogger } from '@cartrita/engine';
import type { RedisConnection } from '../redis/connect-redis.js';
import { type LimiterFactory, memoryLimiter } from './limiter.js';

/** Options of {@link createLimits}. */
export interface CreateLimitsOptions {
  /** `REDIS_URL`: count in this Redis, shared by every instance that names it; unset, in memory. */
  redisUrl?: string | undefined;
  /** Told when the Redis connection is lost and when it is back. */
  logger: EngineLogger;
  /** How long a count may wait for Redis's answer before the insurance limiter counts instead; default 1 000 ms. */
  commandTimeoutMs?: number;
  /** How long the first connection may take before start-up fails; default 10 000 ms. */
  connectTimeoutMs?: number;
  /** Prefix of every key; default `cartrita:limits:`. */
  prefix?: string;
}

/** The limiters of one server, and what they hold open. */
export interface Limits {
  /** Makes the limiter of each budget: requests, new sockets, failed authentications. */
  limiter: LimiterFactory;
  /** The Redis connection the limits count through, when `REDIS_URL` is set (provider turns and cache use it too). */
  redis?: RedisConnection;
  /** Lets go of the Redis connection, if there is one. */
  close(): Promise<void>;
}

/**
 * The limiters the server counts with: in memory without a Redis URL; with one, in Redis through a
 * connection of their own (no offline queue, and a deadline on every count), falling back to
 * memory while Redis is away (see {@link redisLimiter}). The Redis client is loaded only then.
 *
 * @throws when a Redis URL is given and Redis does not answer in time.
 *
 * @example
 * const limits = await createLimits({ redisUrl: config.redis?.url.reveal(), logger });
 * app.use(rateLimit({ limit: 100, limiter: limits.limiter }));
 */
export const createLimits = async (options: CreateLimitsOptions): Promise<Limits> => {
  if (options.redisUrl === undefined) return { limiter: memoryLimiter, close: async () => {} };
  const [{ connectRedis, disconnectRedis }, { redisLimiter }] = await Promise.all([
    import('../redis/connect-redis.js'),
    import('./redis-limiter.js'),
  ]);
  const client = await connectRedis({
    url: options.redisUrl,
    logger: options.logger,
    name: 'cartrita:limits',
    purpose: 'the limits',
    whileDown: 'each instance counts in its own memory until it is back',
    ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
    client: {
      disableOfflineQueue: true,
      // A Redis that stops answering must not hold requests: the count is then made in memory.
      commandOptions: { timeout: options.commandTimeoutMs ?? 1_000, rejectInFlight: true },
    },
  });
  return {
    limiter: redisLimiter({ client, ...(options.prefix === undefined ? {} : { prefix: options.prefix }) }),
    redis: client,
    close: () => disconnectRedis(client),
  };
};
