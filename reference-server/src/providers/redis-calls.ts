/**
 * @module Provider turns and cached provider answers in Redis, so every instance that shares it
 * shares each provider's budget, queue order and cache.
 */
import { createHash } from 'node:crypto';
import {
  createMemoryProviderLimiter,
  type LimitDecision,
  type LimitRequest,
  type ProviderCache,
  type ProviderLimiter,
} from '@cartrita/engine';
import type { RedisConnection } from '../redis/connect-redis.js';

/**
 * The turn of one call, atomically: the bucket's next free turn is read and this call's turn decided;
 * when admitted and ARGV[4] is '1' (a reservation, not a look), the next free turn moves one interval
 * on. Time is Redis's clock, so instances whose clocks differ still hand out turns in one order.
 * Returns {1, wait} or {0, retry after}.
 */
const turnScript = `
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local max_wait = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local start = tonumber(redis.call('GET', KEYS[1]) or '0')
if start < now then start = now end
local wait = start - (burst - 1) * interval - now
if wait < 0 then wait = 0 end
if wait > max_wait then return {0, math.ceil(wait - max_wait)} end
if ARGV[4] == '1' then
  local next_free = start + interval
  redis.call('SET', KEYS[1], tostring(next_free), 'PX', math.ceil(next_free - now) + 1000)
end
return {1, math.ceil(wait)}
`;

/**
 * Turns counted in Redis. While Redis cannot answer, this process's memory counts instead, so an
 * outage limits each instance on its own rather than refusing every call.
 */
export const createRedisProviderLimiter = (
  client: RedisConnection,
  prefix = 'cartrita:providers:turns:',
): Required<ProviderLimiter> => {
  const insurance = createMemoryProviderLimiter();
  const turn = async (key: string, request: LimitRequest, take: boolean): Promise<LimitDecision> => {
    const [admitted, ms] = (await client.eval(turnScript, {
      keys: [`${prefix}${key}`],
      arguments: [
        String(request.intervalMs),
        String(request.burst),
        String(request.maxWaitMs),
        take ? '1' : '0',
      ],
    })) as [number, number];
    return admitted === 1 ? { admitted: true, waitMs: ms } : { admitted: false, retryAfterMs: ms };
  };
  return {
    reserve: (key, request) => turn(key, request, true).catch(() => insurance.reserve(key, request)),
    peek: (key, request) => turn(key, request, false).catch(() => insurance.peek(key, request)),
  };
};

/**
 * Keeps an answer and trims the cache to `max` entries, oldest use first: the index is a sorted set
 * of keys by last use. Expired keys leave the index when they are trimmed or missed.
 */
const setScript = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], KEYS[1])
local excess = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[4])
if excess > 0 then
  local oldest = redis.call('ZRANGE', KEYS[2], 0, excess - 1)
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, excess - 1)
  for _, key in ipairs(oldest) do redis.call('DEL', key) end
end
return 1
`;

/**
 * Cached answers in Redis under the SHA-256 of their key, at most `maxEntries` of them. A Redis
 * that cannot answer is a miss (and a set that is dropped), never a failed call.
 */
export const createRedisProviderCache = (
  client: RedisConnection,
  options: { maxEntries: number },
  prefix = 'cartrita:providers:cache:',
): ProviderCache => {
  const index = `${prefix}index`;
  const keyOf = (key: string) => `${prefix}${createHash('sha256').update(key).digest('hex')}`;
  return {
    async get(key) {
      const stored = keyOf(key);
      const value = await client.get(stored);
      if (value === null) {
        await client.zRem(index, stored);
        return undefined;
      }
      await client.zAdd(index, { score: Date.now(), value: stored });
      return value;
    },
    async set(key, value, ttlMs) {
      await client.eval(setScript, {
        keys: [keyOf(key), index],
        arguments: [
          value,
          String(Math.max(1, Math.round(ttlMs))),
          String(Date.now()),
          String(options.maxEntries),
        ],
      });
    },
  };
};
