import { createServer } from 'node:net';
import { expect, it, onTestFinished } from 'vitest';
import { recordingLogger } from '../../../tests/recording-logger.js';
import { startRedisServer } from '../../../tests/redis.js';
import { createLimits } from './create-limits.js';
import { hit, memoryLimiter } from './limiter.js';
import { redisLimiter } from './redis-limiter.js';

const spec = { points: 2, windowMs: 60_000, keyPrefix: 'rl:ip' };

const ownRedis = async () => {
  const redis = await startRedisServer();
  onTestFinished(() => redis.stop());
  return redis;
};

it('counts in memory without a Redis URL', async () => {
  const limits = await createLimits({ logger: recordingLogger() });
  expect(limits.limiter).toBe(memoryLimiter);
  await limits.close();
});

it('shares one budget between the limits of two servers on one Redis', async () => {
  const redis = await ownRedis();
  const [one, two] = [
    await createLimits({ redisUrl: redis.url, logger: recordingLogger() }),
    await createLimits({ redisUrl: redis.url, logger: recordingLogger() }),
  ];
  onTestFinished(async () => {
    await one.close();
    await two.close();
  });
  const [a, b] = [one.limiter(spec), two.limiter(spec)];
  expect(await hit(a, '192.0.2.1')).toMatchObject({ limited: false, remaining: 1 });
  expect(await hit(b, '192.0.2.1')).toMatchObject({ limited: false, remaining: 0 });
  expect(await hit(a, '192.0.2.1')).toMatchObject({ limited: true, remaining: 0 });
  expect(await hit(b, '192.0.2.2')).toMatchObject({ limited: false, remaining: 1 });
});

it('counts in memory while Redis is gone, reporting the loss once', async () => {
  const redis = await ownRedis();
  const logger = recordingLogger();
  const limits = await createLimits({ redisUrl: redis.url, logger });
  onTestFinished(() => limits.close());
  const limiter = limits.limiter(spec);
  expect(await hit(limiter, '192.0.2.1')).toMatchObject({ limited: false, remaining: 1 });
  redis.stop();
  const deadline = Date.now() + 10_000;
  while (logger.messages('warn').length === 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  // Memory starts afresh, whatever Redis held, and still holds the address to its two points.
  expect(await hit(limiter, '192.0.2.1')).toMatchObject({ limited: false, remaining: 1 });
  expect(await hit(limiter, '192.0.2.1')).toMatchObject({ limited: false, remaining: 0 });
  expect(await hit(limiter, '192.0.2.1')).toMatchObject({ limited: true, remaining: 0 });
  expect(logger.messages('warn')).toEqual([
    'Lost the Redis connection of the limits; reconnecting (each instance counts in its own memory until it is back)',
  ]);
  expect(JSON.stringify(logger.entries)).toContain(`"redis":"${redis.url}"`);
});

it('fails to start when Redis does not answer, without showing the password', async () => {
  const port = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
  await expect(
    createLimits({
      redisUrl: `redis://:pa55word@127.0.0.1:${port}`,
      logger: recordingLogger(),
      connectTimeoutMs: 200,
    }),
  ).rejects.toThrow(
    `Redis at redis://:REDACTED@127.0.0.1:${port} did not answer within 200 ms for the limits`,
  );
});

it('takes only windows of whole seconds, as Redis expiries are', () => {
  const factory = redisLimiter({ client: {} as never });
  for (const windowMs of [500, 1500, 0]) {
    expect(() => factory({ ...spec, windowMs })).toThrow(TypeError);
  }
});
