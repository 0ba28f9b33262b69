import { describe, expect, it } from 'vitest';
import { HttpError } from '../errors.js';
import { createMemoryProviderCache, normalJson } from './cache.js';
import { createProviderCalls, type ProviderCallsOptions } from './calls.js';
import { createMemoryProviderLimiter, decideTurn } from './limits.js';

/** A clock that moves only when told to, and a sleep that wakes when it has moved far enough. */
const virtualTime = () => {
  let at = 1_000_000;
  const sleepers: { until: number; wake: () => void }[] = [];
  return {
    now: () => at,
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        if (ms <= 0) return resolve();
        sleepers.push({ until: at + ms, wake: resolve });
      }),
    /** Moves the clock and wakes every sleeper that is due, earliest first. */
    async advance(ms: number) {
      at += ms;
      sleepers.sort((a, b) => a.until - b.until);
      while (sleepers.length > 0 && (sleepers[0]?.until ?? Infinity) <= at) {
        sleepers.shift()?.wake();
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
};

/** Telemetry that keeps counters and span attributes to compare. */
const countingTelemetry = () => {
  const counts = new Map<string, number>();
  const spans: { name: string; attributes: Record<string, unknown> }[] = [];
  return {
    counts,
    spans,
    telemetry: {
      async span<T>(name: string, attributes: Record<string, unknown>, fn: (span: never) => Promise<T>) {
        const record = { name, attributes: { ...attributes } };
        spans.push(record);
        return fn({
          traceId: 't',
          setAttributes: (more: Record<string, unknown>) => Object.assign(record.attributes, more),
          fail: () => {},
        } as never);
      },
      traceId: () => undefined,
      count(name: string, labels: Record<string, unknown> = {}, value = 1) {
        const key = `${name}${JSON.stringify(labels)}`;
        counts.set(key, (counts.get(key) ?? 0) + value);
      },
      observe: () => {},
      log: () => {},
    },
  };
};

const setup = (more: Partial<ProviderCallsOptions> = {}, time = virtualTime()) => {
  const recorded = countingTelemetry();
  const calls = createProviderCalls({
    limits: { tavily: { perWindow: 2, windowMs: 1000 }, openai: { perWindow: 2, windowMs: 1000 } },
    queueTimeoutMs: 1200,
    limiter: createMemoryProviderLimiter(time.now),
    now: time.now,
    sleep: time.sleep,
    telemetry: recorded.telemetry,
    ...more,
  });
  return { time, calls, ...recorded };
};

describe('the provider limit', () => {
  it('lets a burst of twice the rate through, then gives turns one interval apart', () => {
    const request = { intervalMs: 500, burst: 4, maxWaitMs: 1200 };
    let free = 0;
    const waits: unknown[] = [];
    for (let call = 0; call < 7; call += 1) {
      const { decision, nextFree } = decideTurn(free, 10_000, request);
      waits.push(decision);
      if (nextFree !== undefined) free = nextFree;
    }
    expect(waits).toEqual([
      { admitted: true, waitMs: 0 },
      { admitted: true, waitMs: 0 },
      { admitted: true, waitMs: 0 },
      { admitted: true, waitMs: 0 },
      { admitted: true, waitMs: 500 },
      { admitted: true, waitMs: 1000 },
      { admitted: false, retryAfterMs: 300 },
    ]);
  });

  it('serves queued calls in the order they arrived and refuses the one past the queue timeout with 429', async () => {
    const { time, calls } = setup();
    const served: number[] = [];
    const outcomes = Array.from({ length: 7 }, (_, index) =>
      calls
        .call({ provider: 'tavily', operation: 'search' }, async () => {
          served.push(index);
          return index;
        })
        .then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        ),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(served).toEqual([0, 1, 2, 3]);
    const refused = (await outcomes[6]) as { error: HttpError };
    expect(refused.error).toBeInstanceOf(HttpError);
    expect(refused.error.code).toBe('RATE_LIMITED');
    expect(refused.error.headers['Retry-After']).toBe('1');
    await time.advance(500);
    expect(served).toEqual([0, 1, 2, 3, 4]);
    await time.advance(500);
    expect(served).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await Promise.all(outcomes.slice(0, 6))).toEqual([0, 1, 2, 3, 4, 5].map((value) => ({ value })));
  });

  it('says a provider is rate-limited once its burst is spent, and looking takes no turn', async () => {
    const { time, calls } = setup();
    const looks = await Promise.all(Array.from({ length: 10 }, () => calls.rateLimited('tavily')));
    expect(looks).toEqual(Array.from({ length: 10 }, () => false));
    const served: number[] = [];
    for (let call = 0; call < 4; call += 1) {
      served.push(await calls.call({ provider: 'tavily', operation: 'search' }, async () => call));
    }
    expect(served).toEqual([0, 1, 2, 3]);
    expect(await calls.rateLimited('tavily')).toBe(true);
    expect(await calls.rateLimited('openai')).toBe(false);
    expect(await calls.rateLimited('github')).toBe(false);
    await time.advance(500);
    expect(await calls.rateLimited('tavily')).toBe(false);
  });

  it('keeps providers apart: a provider at its limit never delays another', async () => {
    const { calls } = setup();
    const tavily = Array.from({ length: 6 }, () =>
      calls.call({ provider: 'tavily', operation: 'search' }, async () => 'tavily'),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(await calls.call({ provider: 'openai', operation: 'chat' }, async () => 'openai')).toBe('openai');
    expect(await calls.call({ provider: 'github', operation: 'proxy' }, async () => 'unlimited')).toBe(
      'unlimited',
    );
    void tavily;
  });

  it('ends a wait in the queue when the caller aborts, counting the call as cancelled', async () => {
    const { calls, counts } = setup({ sleep: undefined });
    for (let call = 0; call < 4; call += 1)
      await calls.call({ provider: 'tavily', operation: 'search' }, async () => 0);
    const controller = new AbortController();
    const waiting = calls.call(
      { provider: 'tavily', operation: 'search', signal: controller.signal },
      async () => 1,
    );
    controller.abort(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    expect(
      counts.get(
        'cartrita_provider_requests_total{"provider":"tavily","operation":"search","status":"cancelled"}',
      ),
    ).toBe(1);
  });
});

describe('the provider cache', () => {
  const cached = () => {
    const time = virtualTime();
    return setup(
      {
        cache: createMemoryProviderCache({ maxEntries: 2 }, time.now),
        cacheOptions: { ttlMs: 1000, maxEntries: 2, maxEntryBytes: 100 },
        // Not limited, so that only the cache decides how many calls go upstream.
        limits: {},
      },
      time,
    );
  };

  it('answers an identical request from the cache, whatever the order of its keys, and counts hits and misses', async () => {
    const { calls, counts } = cached();
    let upstream = 0;
    const ask = (request: unknown) =>
      calls.call({ provider: 'openai', operation: 'chat', model: 'm', cache: { request } }, async () => {
        upstream += 1;
        return { text: `answer ${upstream}` };
      });
    expect(await ask({ q: 'a', n: 1 })).toEqual({ text: 'answer 1' });
    expect(await ask({ n: 1, q: 'a' })).toEqual({ text: 'answer 1' });
    expect(await ask({ q: 'b', n: 1 })).toEqual({ text: 'answer 2' });
    expect(upstream).toBe(2);
    expect(counts.get('cartrita_provider_cache_total{"provider":"openai","result":"hit"}')).toBe(1);
    expect(counts.get('cartrita_provider_cache_total{"provider":"openai","result":"miss"}')).toBe(2);
    expect(
      counts.get(
        'cartrita_provider_requests_total{"provider":"openai","operation":"chat","status":"cached"}',
      ),
    ).toBe(1);
  });

  it('does not cache a request with a temperature above 0 unless forced, and forgets answers after the TTL', async () => {
    const { calls, time } = cached();
    let upstream = 0;
    const ask = (temperature: number, force = false) =>
      calls.call(
        { provider: 'openai', operation: 'chat', cache: { request: { q: temperature }, temperature, force } },
        async () => {
          upstream += 1;
          return upstream;
        },
      );
    expect([await ask(0.7), await ask(0.7)]).toEqual([1, 2]);
    expect([await ask(0.5, true), await ask(0.5, true)]).toEqual([3, 3]);
    expect([await ask(0), await ask(0)]).toEqual([4, 4]);
    await time.advance(1000);
    expect(await ask(0)).toBe(5);
  });

  it('keeps at most maxEntries answers, and none larger than maxEntryBytes', async () => {
    const { calls } = cached();
    let upstream = 0;
    const ask = (q: string, size = 1) =>
      calls.call({ provider: 'openai', operation: 'chat', cache: { request: { q } } }, async () => {
        upstream += 1;
        return 'x'.repeat(size);
      });
    await ask('a');
    await ask('b');
    await ask('c');
    await ask('a');
    expect(upstream).toBe(4);
    await ask('big', 200);
    await ask('big', 200);
    expect(upstream).toBe(6);
  });

  it('normalises requests: sorted keys, undefined members dropped', () => {
    expect(normalJson({ b: 1, a: { d: undefined, c: [2, { z: 1, y: 2 }] } })).toBe(
      '{"a":{"c":[2,{"y":2,"z":1}]},"b":1}',
    );
  });
});

describe('the provider call', () => {
  it('is a span with GenAI attributes and counts tokens per provider and model', async () => {
    const { calls, spans, counts } = setup();
    await calls.call(
      {
        provider: 'openai',
        operation: 'chat',
        model: 'gpt-4o-mini',
        usage: (result: { input: number; output: number }) => result,
        responseModel: () => 'gpt-4o-mini-2024-07-18',
      },
      async () => ({ input: 12, output: 5 }),
    );
    expect(spans).toEqual([
      {
        name: 'chat gpt-4o-mini',
        attributes: {
          'cartrita.kind': 'provider',
          'cartrita.provider': 'openai',
          'gen_ai.system': 'openai',
          'gen_ai.provider.name': 'openai',
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': 'gpt-4o-mini',
          'cartrita.queue_wait_ms': 0,
          'gen_ai.usage.input_tokens': 12,
          'gen_ai.usage.output_tokens': 5,
          'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
        },
      },
    ]);
    expect(
      counts.get(
        'cartrita_provider_tokens_total{"provider":"openai","model":"gpt-4o-mini-2024-07-18","direction":"input"}',
      ),
    ).toBe(12);
  });

  it('fails with 503 PROVIDER_NOT_CONFIGURED, calling nothing, when the provider has no key', async () => {
    const { calls } = setup({ configured: (provider) => provider === 'openai' });
    let called = false;
    await expect(
      calls.call({ provider: 'tavily', operation: 'search' }, async () => {
        called = true;
      }),
    ).rejects.toMatchObject({ code: 'PROVIDER_NOT_CONFIGURED', status: 503 });
    expect(called).toBe(false);
    expect(calls.configured('openai')).toBe(true);
  });

  it('streams through the limit and counts the tokens a chunk reports', async () => {
    const { calls, counts } = setup();
    async function* upstream() {
      yield { text: 'a' };
      yield { text: 'b', tokens: { input: 3, output: 2 } };
    }
    const chunks: unknown[] = [];
    for await (const chunk of calls.stream(
      {
        provider: 'openai',
        operation: 'chat',
        model: 'm',
        usage: (chunk: { tokens?: { input: number; output: number } }) => chunk.tokens,
      },
      upstream,
    )) {
      chunks.push(chunk);
    }
    expect(chunks).toEqual([{ text: 'a' }, { text: 'b', tokens: { input: 3, output: 2 } }]);
    expect(
      counts.get('cartrita_provider_tokens_total{"provider":"openai","model":"m","direction":"output"}'),
    ).toBe(2);
    expect(
      counts.get('cartrita_provider_requests_total{"provider":"openai","operation":"chat","status":"ok"}'),
    ).toBe(1);
  });
});

describe('the outcome of a provider call', () => {
  it('counts a failed call as an error with its duration, and passes the error on', async () => {
    const { calls, counts } = setup();
    await expect(
      calls.call({ provider: 'openai', operation: 'chat' }, async () => {
        throw new HttpError('PROVIDER_ERROR', 'upstream 500');
      }),
    ).rejects.toThrow('upstream 500');
    expect(
      counts.get('cartrita_provider_requests_total{"provider":"openai","operation":"chat","status":"error"}'),
    ).toBe(1);
  });

  it('counts a stream its consumer stopped early as cancelled', async () => {
    const { calls, counts } = setup();
    async function* upstream() {
      yield 1;
      yield 2;
    }
    for await (const chunk of calls.stream({ provider: 'openai', operation: 'chat' }, upstream)) {
      if (chunk === 1) break;
    }
    expect(
      counts.get(
        'cartrita_provider_requests_total{"provider":"openai","operation":"chat","status":"cancelled"}',
      ),
    ).toBe(1);
  });

  it('refuses a stream past the queue timeout with 429 before calling upstream', async () => {
    const { calls, counts } = setup({ queueTimeoutMs: 0 });
    for (let call = 0; call < 4; call += 1)
      await calls.call({ provider: 'openai', operation: 'chat' }, async () => 0);
    let called = false;
    async function* upstream() {
      called = true;
      yield 1;
    }
    const reading = (async () => {
      for await (const _ of calls.stream({ provider: 'openai', operation: 'chat' }, upstream)) {
      }
    })();
    await expect(reading).rejects.toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect(called).toBe(false);
    expect(
      counts.get(
        'cartrita_provider_requests_total{"provider":"openai","operation":"chat","status":"rate_limited"}',
      ),
    ).toBe(1);
  });
});
