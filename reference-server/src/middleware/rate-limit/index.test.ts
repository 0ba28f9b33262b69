import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { afterEach, expect, it, vi } from 'vitest';
import { errorHandler } from '../error-handler/index.js';
import { requestId } from '../request-id/index.js';
import { addressKey, type RateLimitOptions, rateLimit } from './index.js';

interface Envelope {
  error: { code: string; message: string; details: Record<string, unknown> };
}

const servers: Server[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

/** A clock the test moves by hand: only `Date` is faked, so sockets and timers run as usual. */
const clock = (start = 1_000_000) => {
  vi.useFakeTimers({ toFake: ['Date'], now: start });
  return { advance: (ms: number) => vi.setSystemTime(Date.now() + ms) };
};

const serve = async (options: RateLimitOptions, trustProxy = false): Promise<string> => {
  const app = express();
  app.set('trust proxy', trustProxy);
  app.use(requestId());
  // Stands in for `authenticate`: a test header picks the caller.
  app.use((req, _res, next) => {
    const key = req.get('x-test-key');
    const user = req.get('x-test-user');
    if (key) req.auth = { kind: 'api_key', keyId: key, scopes: [] };
    else if (user) req.auth = { kind: 'client_secret', sessionId: 's', userId: user, expiresAt: new Date() };
    else req.auth = { kind: 'anonymous' };
    next();
  });
  app.use(rateLimit(options));
  app.get('/', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/health', (_req, res) => {
    res.json({ ok: true });
  });
  app.use(errorHandler({ logger: { error: () => {}, warn: () => {}, debug: () => {} } }));
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const hit = (url: string, headers: Record<string, string> = {}) => fetch(`${url}/`, { headers });

it('counts down RateLimit-Remaining and sends RateLimit-Limit and RateLimit-Reset', async () => {
  const time = clock();
  const url = await serve({ limit: 3 });
  const first = await hit(url);
  expect(first.headers.get('ratelimit-limit')).toBe('3');
  expect(first.headers.get('ratelimit-remaining')).toBe('2');
  expect(first.headers.get('ratelimit-reset')).toBe('60');
  time.advance(15_500);
  const second = await hit(url);
  expect(second.headers.get('ratelimit-remaining')).toBe('1');
  expect(second.headers.get('ratelimit-reset')).toBe('45');
});

it('answers 429 RATE_LIMITED with Retry-After and retry-after-ms once the limit is used', async () => {
  const time = clock();
  const url = await serve({ limit: 2 });
  await hit(url);
  await hit(url);
  time.advance(10_250);
  const limited = await hit(url);
  expect(limited.status).toBe(429);
  expect(limited.headers.get('retry-after')).toBe('50');
  expect(limited.headers.get('retry-after-ms')).toBe('49750');
  expect(limited.headers.get('ratelimit-remaining')).toBe('0');
  const body = (await limited.json()) as Envelope;
  expect(body.error.code).toBe('RATE_LIMITED');
  expect(body.error.message).toBe('Rate limit of 2 requests per minute exceeded; retry in 50 s');
  expect(body.error.details.retry_after_ms).toBe(49750);
});

it('starts a new window after the old one ends', async () => {
  const time = clock();
  const url = await serve({ limit: 1 });
  expect((await hit(url)).status).toBe(200);
  expect((await hit(url)).status).toBe(429);
  time.advance(60_000);
  const again = await hit(url);
  expect(again.status).toBe(200);
  expect(again.headers.get('ratelimit-remaining')).toBe('0');
});

it('gives authenticated callers their own higher limit, per key and per user', async () => {
  const url = await serve({ limit: 1, authenticatedLimit: 3 });
  expect((await hit(url)).status).toBe(200);
  expect((await hit(url)).status).toBe(429);
  const keyed = await hit(url, { 'x-test-key': 'ci' });
  expect(keyed.status).toBe(200);
  expect(keyed.headers.get('ratelimit-limit')).toBe('3');
  await hit(url, { 'x-test-key': 'ci' });
  await hit(url, { 'x-test-key': 'ci' });
  expect((await hit(url, { 'x-test-key': 'ci' })).status).toBe(429);
  expect((await hit(url, { 'x-test-key': 'other' })).status).toBe(200);
  expect((await hit(url, { 'x-test-user': 'usr_1' })).status).toBe(200);
});

it('keys anonymous callers by the address Express reports, honouring trust proxy', async () => {
  const url = await serve({ limit: 1 }, true);
  expect((await hit(url, { 'X-Forwarded-For': '203.0.113.1' })).status).toBe(200);
  expect((await hit(url, { 'X-Forwarded-For': '203.0.113.1' })).status).toBe(429);
  expect((await hit(url, { 'X-Forwarded-For': '203.0.113.2' })).status).toBe(200);
});

it('ignores X-Forwarded-For when proxies are not trusted', async () => {
  const url = await serve({ limit: 1 });
  expect((await hit(url, { 'X-Forwarded-For': '203.0.113.1' })).status).toBe(200);
  expect((await hit(url, { 'X-Forwarded-For': '203.0.113.2' })).status).toBe(429);
});

it('does not count skipped requests or limit when the limit is 0', async () => {
  const url = await serve({ limit: 1, skip: (req) => req.path === '/health' });
  for (let i = 0; i < 3; i++) expect((await fetch(`${url}/health`)).status).toBe(200);
  expect((await hit(url)).status).toBe(200);
  const off = await serve({ limit: 0 });
  for (let i = 0; i < 3; i++) {
    const response = await hit(off);
    expect(response.status).toBe(200);
    expect(response.headers.get('ratelimit-limit')).toBeNull();
  }
});

it('counts through the limiter the factory makes, as a shared store would', async () => {
  const made: { points: number; windowMs: number; keyPrefix: string }[] = [];
  const keys: string[] = [];
  const url = await serve({
    limit: 1,
    authenticatedLimit: 5,
    prefix: 'test',
    limiter: (spec) => {
      made.push(spec);
      const limiter = new RateLimiterMemory({
        points: spec.points,
        duration: spec.windowMs / 1000,
        keyPrefix: spec.keyPrefix,
      });
      const consume = limiter.consume.bind(limiter);
      limiter.consume = async (key, points) => {
        keys.push(`${spec.keyPrefix}|${String(key)}`);
        return consume(key, points);
      };
      return limiter;
    },
  });
  expect(made).toEqual([
    { points: 1, windowMs: 60_000, keyPrefix: 'test:ip' },
    { points: 5, windowMs: 60_000, keyPrefix: 'test:caller' },
  ]);
  expect((await hit(url)).status).toBe(200);
  expect((await hit(url)).status).toBe(429);
  expect((await hit(url, { 'x-test-key': 'ci' })).status).toBe(200);
  expect(keys).toEqual(['test:ip|127.0.0.1', 'test:ip|127.0.0.1', 'test:caller|key:ci']);
});

it('groups IPv6 callers by /64 network and unwraps IPv4-mapped addresses', () => {
  expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
  expect(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
  expect(addressKey('::1')).toBe('0:0:0:0::/64');
  expect(addressKey('::ffff:198.51.100.7')).toBe('198.51.100.7');
  expect(addressKey('198.51.100.7')).toBe('198.51.100.7');
});

it('rejects invalid options when the factory is called', () => {
  expect(() => rateLimit({ limit: -1 })).toThrow(TypeError);
  expect(() => rateLimit({ limit: 1.5 })).toThrow(TypeError);
  expect(() => rateLimit({ limit: 1, windowMs: 0 })).toThrow(TypeError);
  expect(() => rateLimit({ limit: 1, limiter: {} as never })).toThrow(TypeError);
  expect(rateLimit({ limit: 1 }).name).toBe('rateLimit');
});
