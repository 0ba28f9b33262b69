import { createClient } from 'redis';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startRedisServer } from '../../tests/redis.js';
import { createRedisProviderCache, createRedisProviderLimiter } from '../src/providers/redis-calls.js';
import type { RedisConnection } from '../src/redis/connect-redis.js';
import { startTestServer, type TestServer } from '../src/testing.js';
import { openaiRecorder, useOpenAIMocks } from './mocks/openai.js';

const OPENAI = 'https://api.openai.com/v1';

useOpenAIMocks({ baseURL: OPENAI, tokens: ['Hello', '.'] });

const openaiEnv = {
  CHAT_PROVIDER: 'openai',
  OPENAI_API_KEY: 'sk-test-0123456789abcdef',
  OPENAI_MODEL: 'gpt-4o-mini',
};

const server = async (env: Record<string, string>): Promise<TestServer> => {
  const started = await startTestServer({ env });
  onTestFinished(() => started.close());
  return started;
};

const ownRedis = async () => {
  const redis = await startRedisServer();
  onTestFinished(() => redis.stop());
  return redis;
};

const connect = async (url: string): Promise<RedisConnection> => {
  const client = createClient({ url }) as RedisConnection;
  await client.connect();
  onTestFinished(() => client.destroy());
  return client;
};

const chat = (target: TestServer, body: Record<string, unknown> = { message: 'Hi' }) =>
  fetch(`${target.url}/api/chat`, {
    method: 'POST',
    headers: { authorization: `Bearer ${target.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('the per-provider limit over HTTP', () => {
  it('lets a burst of twice the rate through, then answers 429 RATE_LIMITED with Retry-After at once', async () => {
    // One call a minute: a bucket of two, and the third call's turn is 60 s away, past the 30 s queue.
    const target = await server({ ...openaiEnv, RATE_LIMIT_OPENAI_PER_MINUTE: '1' });
    expect((await chat(target)).status).toBe(200);
    expect((await chat(target)).status).toBe(200);
    const refused = await chat(target);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('30');
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('RATE_LIMITED');
    expect(body.error.message).toBe(
      'The openai provider is at its limit and its queue is more than 30 s long; retry later',
    );
    expect(openaiRecorder.requests.length).toBe(2);
  });

  it('never lets a limited provider delay another: the demo provider still answers', async () => {
    const target = await server({ ...openaiEnv, RATE_LIMIT_OPENAI_PER_MINUTE: '1' });
    await chat(target);
    await chat(target);
    expect((await chat(target)).status).toBe(429);
    const demo = await chat(target, { message: 'Hi', provider: 'demo' });
    expect(demo.status).toBe(200);
    expect(((await demo.json()) as { provider: string }).provider).toBe('demo');
  });

  it('marks the provider’s agent rate_limited in GET /api/agents once its burst is spent, taking no turn', async () => {
    const target = await server({
      ...openaiEnv,
      REDIS_URL: (await ownRedis()).url,
      RATE_LIMIT_OPENAI_PER_MINUTE: '1',
    });
    const openaiStatus = async () => {
      const answer = await fetch(`${target.url}/api/agents`, {
        headers: { authorization: `Bearer ${target.apiKey}` },
      });
      const { agents } = (await answer.json()) as { agents: { id: string; status: string }[] };
      return agents
        .filter((agent) => agent.id.startsWith('openai/'))
        .map((agent) => [agent.id, agent.status]);
    };
    for (let look = 0; look < 3; look += 1) {
      expect(await openaiStatus()).toEqual([['openai/gpt-4o-mini', 'available']]);
    }
    expect((await chat(target)).status).toBe(200);
    expect((await chat(target)).status).toBe(200);
    expect(await openaiStatus()).toEqual([['openai/gpt-4o-mini', 'rate_limited']]);
    expect(openaiRecorder.requests.length).toBe(2);
  });

  it('counts the calls, their tokens and the refusal at /metrics', async () => {
    const target = await server({ ...openaiEnv, RATE_LIMIT_OPENAI_PER_MINUTE: '1' });
    await chat(target);
    await chat(target);
    await chat(target);
    const text = await (
      await fetch(`${target.url}/metrics`, { headers: { authorization: `Bearer ${target.apiKey}` } })
    ).text();
    expect(text).toContain(
      'cartrita_provider_requests_total{provider="openai",operation="chat",status="ok"} 2',
    );
    expect(text).toContain(
      'cartrita_provider_requests_total{provider="openai",operation="chat",status="rate_limited"} 1',
    );
    expect(text).toContain('cartrita_provider_rate_limited_total{provider="openai"} 1');
    expect(text).toMatch(
      /cartrita_provider_tokens_total\{provider="openai",model="gpt-4o-mini",direction="output"\} [1-9]/,
    );
    expect(text).toContain('cartrita_provider_queue_wait_seconds_count{provider="openai"} 2');
    const figures = await fetch(`${target.url}/api/observability/metrics`, {
      headers: { authorization: `Bearer ${target.apiKey}` },
    });
    expect(((await figures.json()) as { provider_calls: unknown }).provider_calls).toEqual({
      total: 3,
      failed: 1,
    });
  });
});

describe('the provider cache over HTTP', () => {
  /** An LLMGine engine on the openai provider: its executions ask for whole replies. */
  const openaiEngine = async (target: TestServer) => {
    const headers = { authorization: `Bearer ${target.apiKey}`, 'content-type': 'application/json' };
    const session = (await (
      await fetch(`${target.url}/api/sessions`, { method: 'POST', headers, body: '{}' })
    ).json()) as { session_id: string };
    const engine = (await (
      await fetch(`${target.url}/api/engines`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ engine_type: 'openai', session_id: session.session_id }),
      })
    ).json()) as { engine_id: string };
    return (body: Record<string, unknown>) =>
      fetch(`${target.url}/api/engines/${engine.engine_id}/execute`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as { response: string },
      }));
  };

  it('answers an identical whole-reply request from the cache, and asks again when the temperature is above 0', async () => {
    const target = await server(openaiEnv);
    const execute = await openaiEngine(target);
    const first = await execute({ prompt: 'Where is the harbour?' });
    const second = await execute({ prompt: 'Where is the harbour?' });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.body.response).toBe(first.body.response);
    expect(openaiRecorder.requests.length).toBe(1);
    await execute({ prompt: 'Where is the harbour?', parameters: { temperature: 0.8 } });
    await execute({ prompt: 'Where is the harbour?', parameters: { temperature: 0.8 } });
    expect(openaiRecorder.requests.length).toBe(3);
    const text = await (
      await fetch(`${target.url}/metrics`, { headers: { authorization: `Bearer ${target.apiKey}` } })
    ).text();
    expect(text).toContain('cartrita_provider_cache_total{provider="openai",result="hit"} 1');
    expect(text).toContain('cartrita_provider_cache_total{provider="openai",result="miss"} 1');
  });

  it('shares cached answers between two instances on one Redis', async () => {
    const redis = await ownRedis();
    const env = { ...openaiEnv, REDIS_URL: redis.url };
    const [one, two] = [await server(env), await server(env)];
    await (await openaiEngine(one))({ prompt: 'Shared?' });
    const answer = await (await openaiEngine(two))({ prompt: 'Shared?' });
    expect(answer.status).toBe(200);
    expect(openaiRecorder.requests.length).toBe(1);
  });
});

describe('the per-provider limit shared through Redis', () => {
  it('spends one budget across two server instances on one Redis', async () => {
    const redis = await ownRedis();
    const env = { ...openaiEnv, REDIS_URL: redis.url, RATE_LIMIT_OPENAI_PER_MINUTE: '1' };
    const [one, two] = [await server(env), await server(env)];
    expect((await chat(one)).status).toBe(200);
    expect((await chat(two)).status).toBe(200);
    const refused = await chat(two);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect((await chat(one)).status).toBe(429);
    expect(openaiRecorder.requests.length).toBe(2);
  });

  it('hands out turns in arrival order to two instances, one interval apart past the burst', async () => {
    const redis = await ownRedis();
    const limiters = [
      createRedisProviderLimiter(await connect(redis.url)),
      createRedisProviderLimiter(await connect(redis.url)),
    ];
    const request = { intervalMs: 1000, burst: 4, maxWaitMs: 30_000 };
    const decisions = [];
    for (let call = 0; call < 8; call += 1) {
      decisions.push(await limiters[call % 2]?.reserve('provider:tavily', request));
    }
    const waits = decisions.map((decision) => (decision?.admitted ? decision.waitMs : -1));
    // The first four take the burst; each later one waits one interval more than the one before.
    expect(waits.slice(0, 4)).toEqual([0, 0, 0, 0]);
    for (let index = 4; index < 8; index += 1) {
      const wait = waits[index] ?? -1;
      const previous = index === 4 ? 0 : (waits[index - 1] ?? -1);
      // Redis's clock moves on between calls, so a turn is up to a few ms nearer than a full interval later.
      expect(wait - previous).toBeGreaterThan(900);
      expect(wait - previous).toBeLessThanOrEqual(1000);
    }
  });

  it('looks at a bucket without spending it: peek says what the next reserve gets', async () => {
    const redis = await ownRedis();
    const limiter = createRedisProviderLimiter(await connect(redis.url));
    const request = { intervalMs: 60_000, burst: 2, maxWaitMs: 30_000 };
    for (let look = 0; look < 3; look += 1) {
      expect(await limiter.peek('provider:tavily', request)).toEqual({ admitted: true, waitMs: 0 });
    }
    expect(await limiter.reserve('provider:tavily', request)).toEqual({ admitted: true, waitMs: 0 });
    expect(await limiter.reserve('provider:tavily', request)).toEqual({ admitted: true, waitMs: 0 });
    const looked = await limiter.peek('provider:tavily', request);
    expect(looked.admitted).toBe(false);
    const refused = await limiter.reserve('provider:tavily', request);
    expect(refused.admitted).toBe(false);
  });

  it('refuses a turn further than the queue timeout without spending it, saying when to retry', async () => {
    const redis = await ownRedis();
    const limiter = createRedisProviderLimiter(await connect(redis.url));
    const request = { intervalMs: 60_000, burst: 2, maxWaitMs: 30_000 };
    expect(await limiter.reserve('provider:deepgram', request)).toEqual({ admitted: true, waitMs: 0 });
    expect(await limiter.reserve('provider:deepgram', request)).toEqual({ admitted: true, waitMs: 0 });
    const refused = await limiter.reserve('provider:deepgram', request);
    const again = await limiter.reserve('provider:deepgram', request);
    expect(refused.admitted).toBe(false);
    expect(again.admitted).toBe(false);
    // Not spent: the next refusal names (about) the same wait, not one interval more.
    const retry = (decision: typeof refused) => (decision.admitted ? -1 : decision.retryAfterMs);
    expect(retry(refused)).toBeGreaterThan(29_000);
    expect(retry(refused)).toBeLessThanOrEqual(30_000);
    expect(retry(refused) - retry(again)).toBeGreaterThanOrEqual(0);
    expect(retry(refused) - retry(again)).toBeLessThan(1000);
  });
});

describe('provider turns while Redis is away', () => {
  it('counts in this process’s memory instead, still limiting', async () => {
    const redis = await startRedisServer();
    const client = createClient({ url: redis.url, disableOfflineQueue: true }) as RedisConnection;
    client.on('error', () => {});
    await client.connect();
    onTestFinished(() => client.destroy());
    const limiter = createRedisProviderLimiter(client);
    const request = { intervalMs: 60_000, burst: 2, maxWaitMs: 30_000 };
    redis.stop();
    const decisions = [
      await limiter.reserve('provider:tavily', request),
      await limiter.reserve('provider:tavily', request),
      await limiter.reserve('provider:tavily', request),
    ];
    expect(decisions.map((decision) => decision.admitted)).toEqual([true, true, false]);
  });
});

describe('the provider cache in Redis', () => {
  it('serves what one instance cached to another, and keeps at most maxEntries answers', async () => {
    const redis = await ownRedis();
    const [one, two] = [await connect(redis.url), await connect(redis.url)];
    const first = createRedisProviderCache(one, { maxEntries: 2 });
    const second = createRedisProviderCache(two, { maxEntries: 2 });
    await first.set('openai\u0000chat\u0000m\u0000{"q":"a"}', '{"text":"A"}', 60_000);
    expect(await second.get('openai\u0000chat\u0000m\u0000{"q":"a"}')).toBe('{"text":"A"}');
    expect(await second.get('openai\u0000chat\u0000m\u0000{"q":"z"}')).toBeUndefined();
    await second.set('b', '"B"', 60_000);
    await first.set('c', '"C"', 60_000);
    // "a" was used least recently, so it went first.
    expect(await first.get('openai\u0000chat\u0000m\u0000{"q":"a"}')).toBeUndefined();
    expect([await first.get('b'), await first.get('c')]).toEqual(['"B"', '"C"']);
    expect(await one.zCard('cartrita:providers:cache:index')).toBe(2);
  });

  it('forgets an answer after its TTL', async () => {
    const redis = await ownRedis();
    const client = await connect(redis.url);
    const cache = createRedisProviderCache(client, { maxEntries: 10 });
    await cache.set('k', '"v"', 60_000);
    const [key] = await client.keys('cartrita:providers:cache:[0-9a-f]*');
    expect(await client.pTTL(key ?? '')).toBeGreaterThan(59_000);
  });
});
