// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeHost, fakeFetch, json, session } from '../../../../tests/widget/fake-chatkit.js';
import { SESSION_RETRIES, SESSION_TIMEOUT_MS, SessionController } from './session-controller.js';

const api = 'http://chat.test';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Runs `promise` while fake time passes, a step at a time, until it settles. */
const drive = async <T>(promise: Promise<T>, maxMs = 60_000): Promise<T> => {
  let done = false;
  const result = promise.finally(() => {
    done = true;
  });
  for (let spent = 0; !done && spent < maxMs; spent += 100) await vi.advanceTimersByTimeAsync(100);
  return result;
};

const make = (handler: Parameters<typeof fakeFetch>[0], settings = {}) => {
  const { fetch, calls } = fakeFetch(handler);
  const host = new FakeHost();
  const onReady = vi.fn();
  const onError = vi.fn();
  const controller = new SessionController(host, {
    settings: () => ({ apiUrl: api, fetch, ...settings }),
    onReady,
    onError,
  });
  host.connect();
  return { controller, calls, host, onReady, onError };
};

describe('SessionController', () => {
  it('creates a session and hands out a client that sends its secret', async () => {
    const { controller, calls, onReady } = make((call) =>
      call.path === '/api/chatkit/session' ? json(session('s1')) : json({}),
    );
    await drive(controller.connect());
    expect(controller.status).toBe('ready');
    expect(onReady).toHaveBeenCalledOnce();
    expect(controller.capabilities?.attachments.max_bytes).toBe(1000);
    await drive(controller.client!.threads.delete({ thread_id: 'thr_1' }));
    expect(calls[1]?.headers.get('authorization')).toBe('Bearer s1');
  });

  it('retries the session request three times with growing waits', async () => {
    let attempts = 0;
    const { controller, calls } = make(() =>
      ++attempts <= SESSION_RETRIES ? json({}, 503) : json(session()),
    );
    const times: number[] = [];
    const started = Date.now();
    const original = calls.push.bind(calls);
    calls.push = (...items) => {
      times.push(Date.now() - started);
      return original(...items);
    };
    await drive(controller.connect());
    expect(controller.status).toBe('ready');
    expect(calls).toHaveLength(SESSION_RETRIES + 1);
    const waits = times.slice(1).map((t, i) => t - (times[i] ?? 0));
    expect(waits[0]).toBeGreaterThanOrEqual(375);
    expect(waits[1]).toBeGreaterThan(waits[0]!);
    expect(waits[2]).toBeGreaterThan(waits[1]!);
    // The same idempotency key on every attempt, so the server creates one session.
    expect(new Set(calls.map((c) => c.headers.get('idempotency-key'))).size).toBe(1);
  });

  it('gives up after the retries with an error and connects again when asked', async () => {
    let up = false;
    const { controller, calls, onError } = make(() => (up ? json(session()) : json({ error: {} }, 503)));
    await drive(controller.connect());
    expect(controller.status).toBe('error');
    expect(calls).toHaveLength(SESSION_RETRIES + 1);
    expect(onError).toHaveBeenCalledOnce();
    up = true;
    await drive(controller.connect());
    expect(controller.status).toBe('ready');
  });

  it('times a session attempt out after five seconds', async () => {
    const { controller, calls } = make(() => new Promise<Response>(() => {}));
    const started = Date.now();
    await drive(controller.connect(), 120_000);
    expect(controller.status).toBe('error');
    expect(calls).toHaveLength(SESSION_RETRIES + 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual((SESSION_RETRIES + 1) * SESSION_TIMEOUT_MS);
    expect(String(controller.error)).toMatch(/timed out|timeout/i);
  });

  it('renews the secret shortly before it expires', async () => {
    let minted = 0;
    const { controller, calls } = make((call) =>
      call.path === '/api/chatkit/session' ? json(session(`s${++minted}`, 600)) : json({}),
    );
    await drive(controller.connect());
    await vi.advanceTimersByTimeAsync(600_000 - 61_000);
    expect(minted).toBe(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(minted).toBe(2);
    await drive(controller.client!.threads.delete({ thread_id: 'thr_1' }));
    expect(calls.at(-1)?.headers.get('authorization')).toBe('Bearer s2');
  });

  it('posts to a session URL of the page when one is set', async () => {
    const { controller, calls } = make(() => json(session()), { sessionUrl: '/my/session' });
    await drive(controller.connect());
    expect(controller.status).toBe('ready');
    expect(calls[0]?.url).toBe(`${api}/my/session`);
  });

  it('asks the page for secrets, again with force after a 401', async () => {
    const hook = vi.fn(async ({ force }: { force: boolean }) => (force ? 'fresh' : 'stale'));
    const { controller, calls } = make(
      (call) => (call.headers.get('authorization') === 'Bearer fresh' ? json({}) : json({}, 401)),
      { getClientSecret: hook },
    );
    await drive(controller.connect());
    expect(controller.status).toBe('ready');
    expect(calls).toHaveLength(0);
    await drive(controller.client!.threads.delete({ thread_id: 'thr_1' }));
    expect(hook.mock.calls.map(([context]) => context.force)).toEqual([false, true]);
    expect(calls.map((c) => c.headers.get('authorization'))).toEqual(['Bearer stale', 'Bearer fresh']);
  });

  it('stops renewing when the host goes away', async () => {
    let minted = 0;
    const { controller, host } = make(() => json(session(`s${++minted}`, 120)));
    await drive(controller.connect());
    host.disconnect();
    await vi.advanceTimersByTimeAsync(200_000);
    expect(minted).toBe(1);
  });
});
