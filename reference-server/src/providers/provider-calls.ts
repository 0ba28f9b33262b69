/**
 * @module The server's provider-call wrapper: limits and cache in Redis when `REDIS_URL` is set
 * (shared by every instance), in this process's memory otherwise; spans and metrics through the
 * server's telemetry.
 */
import {
  createMemoryProviderCache,
  createMemoryProviderLimiter,
  createProviderCalls,
  type ProviderCalls,
  type Telemetry,
} from '@cartrita/engine';
import type { Config } from '../config.js';
import type { RedisConnection } from '../redis/connect-redis.js';
import { createRedisProviderCache, createRedisProviderLimiter } from './redis-calls.js';

/**
 * The upstream providers whose keys are configured. A provider area adds its line here: a call to a
 * provider missing from this set is a 503 `PROVIDER_NOT_CONFIGURED`.
 */
export const configuredProviders = (config: Config): Set<string> => {
  const names = new Set<string>();
  if (config.providers.openai) names.add('openai');
  if (config.providers.github) names.add('github');
  if (config.providers.huggingface) names.add('huggingface');
  if (config.providers.tavily) names.add('tavily');
  if (config.providers.deepgram) names.add('deepgram');
  return names;
};

/** Options of {@link createServerProviderCalls}. */
export interface ServerProviderCallsOptions {
  config: Config;
  telemetry: Telemetry;
  /** The limits' Redis connection, when there is one. */
  redis?: RedisConnection | undefined;
  /** Providers configured besides the ones `config` names (chat providers given to `createApp`). */
  extraProviders?: readonly string[];
}

/**
 * The wrapper every upstream call of this server goes through.
 *
 * @example
 * const providerCalls = createServerProviderCalls({ config, telemetry: telemetry.telemetry, redis: limits.redis });
 */
export const createServerProviderCalls = (options: ServerProviderCallsOptions): ProviderCalls => {
  const { config, redis } = options;
  const { limits, queueTimeoutMs, cache } = config.providerCalls;
  const configured = configuredProviders(config);
  for (const name of options.extraProviders ?? []) configured.add(name);
  return createProviderCalls({
    limits,
    queueTimeoutMs,
    limiter: redis ? createRedisProviderLimiter(redis) : createMemoryProviderLimiter(),
    cache: redis
      ? createRedisProviderCache(redis, { maxEntries: cache.maxEntries })
      : createMemoryProviderCache({ maxEntries: cache.maxEntries }),
    cacheOptions: cache,
    configured: (provider) => configured.has(provider),
    telemetry: options.telemetry,
  });
};
