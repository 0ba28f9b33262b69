// Benchmark: what the provider-call wrapper costs, and whether its queue is fair. (1) Limiter overhead
// per call: a call through the wrapper (turn taken, span and metrics off) against the bare function, with
// turns in memory and in Redis. (2) Cache: a hit against a miss in the same run, the miss a real HTTP call
// to a local upstream, with the cache in memory and in Redis. (3) Queue fairness under a burst: a burst
// five times the bucket, the served order against the order the limiter took the reservations, in memory
// and with two instances on one Redis. Bounded: fixed counts, one throwaway redis-server.
import { createServer } from 'node:http';
import { createClient } from 'redis';
import {
  createMemoryProviderCache,
  createMemoryProviderLimiter,
  createProviderCalls,
} from '../packages/engine/dist/index.js';
import {
  createRedisProviderCache,
  createRedisProviderLimiter,
} from '../reference-server/dist/providers/redis-calls.js';
import { startRedisServer } from '../tests/redis.ts';
import { ms, quantile } from './stats.mjs';

const CALLS = 20_000;
const CACHE_CALLS = 2000;
const WARMUP = 200;
const BURST_BUCKET = 20; // a rate of 10 per second: a bucket of 20, a turn every 100 ms
const BURST = BURST_BUCKET * 5;

const us = (value) => `${value.toFixed(2)} µs`;
const unlimited = { bench: { perWindow: 1_000_000_000, windowMs: 60_000 } };

const redis = await startRedisServer();
const clients = [];
const connect = async () => {
  const client = createClient({ url: redis.url });
  await client.connect();
  clients.push(client);
  return client;
};

try {
  // (1) Limiter overhead per call, sequential.
  const perCall = async (run) => {
    for (let i = 0; i < WARMUP; i++) await run(i);
    const times = [];
    for (let i = 0; i < CALLS; i++) {
      const start = performance.now();
      await run(i);
      times.push((performance.now() - start) * 1000);
    }
    return times;
  };
  const bare = await perCall(async (i) => i);
  const memoryCalls = createProviderCalls({ limits: unlimited, limiter: createMemoryProviderLimiter() });
  const inMemory = await perCall((i) =>
    memoryCalls.call({ provider: 'bench', operation: 'noop' }, async () => i),
  );
  const redisCalls = createProviderCalls({
    limits: unlimited,
    limiter: createRedisProviderLimiter(await connect()),
  });
  const inRedis = await perCall((i) =>
    redisCalls.call({ provider: 'bench', operation: 'noop' }, async () => i),
  );
  console.log(`Limiter overhead, sequential (${CALLS} calls each)`);
  console.log(`  bare function:         p50 ${us(quantile(bare, 0.5))}, p99 ${us(quantile(bare, 0.99))}`);
  console.log(
    `  wrapper, memory turns: p50 ${us(quantile(inMemory, 0.5))}, p99 ${us(quantile(inMemory, 0.99))}`,
  );
  console.log(
    `  wrapper, Redis turns:  p50 ${us(quantile(inRedis, 0.5))}, p99 ${us(quantile(inRedis, 0.99))}`,
  );

  // (2) Cache hit against miss: a local HTTP upstream answers every miss.
  const upstream = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ text: 'The harbour opens at dawn.', usage: { input: 12, output: 7 } }));
    });
  });
  await new Promise((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${upstream.address().port}/`;
  const ask = () => fetch(url, { method: 'POST', body: '{}' }).then((response) => response.json());
  const cacheRun = async (cache) => {
    const calls = createProviderCalls({
      limits: unlimited,
      cache,
      cacheOptions: { ttlMs: 600_000, maxEntries: CACHE_CALLS * 2, maxEntryBytes: 65_536 },
    });
    const call = (key) =>
      calls.call({ provider: 'bench', operation: 'chat', model: 'm', cache: { request: { q: key } } }, ask);
    const misses = [];
    const hits = [];
    for (let i = 0; i < WARMUP + CACHE_CALLS; i++) {
      let start = performance.now();
      await call(`q${i}`);
      const miss = performance.now() - start;
      start = performance.now();
      await call(`q${i}`);
      const hit = performance.now() - start;
      if (i >= WARMUP) {
        misses.push(miss);
        hits.push(hit);
      }
    }
    return { misses, hits };
  };
  console.log(`\nCache, a miss (HTTP upstream) then a hit of the same request (${CACHE_CALLS} pairs each)`);
  for (const [name, cache] of [
    ['memory', createMemoryProviderCache({ maxEntries: CACHE_CALLS * 2 })],
    ['Redis', createRedisProviderCache(await connect(), { maxEntries: CACHE_CALLS * 2 })],
  ]) {
    const { misses, hits } = await cacheRun(cache);
    console.log(
      `  ${name}: miss p50 ${ms(quantile(misses, 0.5))}, p99 ${ms(quantile(misses, 0.99))}; ` +
        `hit p50 ${ms(quantile(hits, 0.5))}, p99 ${ms(quantile(hits, 0.99))}; ` +
        `hit/miss p50 ${(quantile(hits, 0.5) / quantile(misses, 0.5)).toFixed(2)}×`,
    );
  }
  await new Promise((resolve) => upstream.close(resolve));

  // (3) Queue fairness: the order the limiter took reservations (arrival) against the order served.
  const fairness = async (name, limiters) => {
    const arrivals = [];
    const served = [];
    const start = performance.now();
    const waits = await Promise.all(
      Array.from({ length: BURST }, (_, i) => {
        const limiter = limiters[i % limiters.length];
        const calls = createProviderCalls({
          limits: { bench: { perWindow: BURST_BUCKET / 2, windowMs: 1000 } },
          limiter: {
            reserve: async (key, request) => {
              const decision = await limiter.reserve(key, request);
              arrivals.push(i);
              return decision;
            },
          },
        });
        return calls.call({ provider: 'bench', operation: 'burst' }, async () => {
          served.push(i);
          return performance.now() - start;
        });
      }),
    );
    const inOrder = served.every((call, index) => call === arrivals[index]);
    console.log(
      `  ${name}: ${BURST} calls, bucket ${BURST_BUCKET}; served in arrival order: ${inOrder ? 'yes' : 'NO'}; ` +
        `last served after ${ms(Math.max(...waits))} (ideal ${ms(((BURST - BURST_BUCKET) * 1000) / (BURST_BUCKET / 2))})`,
    );
  };
  console.log('\nQueue fairness under a burst');
  const shared = createMemoryProviderLimiter();
  await fairness('one instance, memory turns', [shared]);
  await fairness('two instances, Redis turns', [
    createRedisProviderLimiter(await connect(), 'bench:fair:'),
    createRedisProviderLimiter(await connect(), 'bench:fair:'),
  ]);
} finally {
  for (const client of clients) client.destroy();
  redis.stop();
}
