import { ErrorEnvelope } from '@cartrita/contracts';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from './handlers.js';
import {
  createScenarios,
  cutStreamAfter,
  latency,
  networkError,
  rateLimited,
  stallStreamAfter,
  status,
} from './scenarios.js';
import { createStore } from './state.js';

describe('createScenarios', () => {
  it('takes the newest fault that applies to the route', () => {
    const faults = createScenarios();
    faults.use(status(500));
    faults.use(status(503), { route: 'health.get' });
    expect(faults.take('health.get', ['status'])).toMatchObject({ status: 503 });
    expect(faults.take('chatkit.request', ['status'])).toMatchObject({ status: 500 });
  });

  it('forgets a fault after its last use', () => {
    const faults = createScenarios();
    faults.use(networkError(), { times: 2 });
    faults.use(latency(5), { once: true });
    expect(faults.take('health.get', ['latency'])).toEqual({ kind: 'latency', ms: 5 });
    expect(faults.take('health.get', ['latency'])).toBeUndefined();
    expect(faults.take('health.get', ['network_error'])).toBeDefined();
    expect(faults.active).toMatchObject([{ remaining: 1 }]);
    expect(faults.take('health.get', ['network_error'])).toBeDefined();
    expect(faults.active).toEqual([]);
  });

  it('turns a fault off with the function use returns, and all of them with reset', () => {
    const faults = createScenarios();
    const off = faults.use(status(500));
    faults.use(status(502), { route: ['health.get', 'system.health'] });
    off();
    expect(faults.active.map((active) => active.fault)).toMatchObject([{ status: 502 }]);
    faults.reset();
    expect(faults.active).toEqual([]);
  });

  it('refuses faults that make no sense', () => {
    expect(() => status(200)).toThrow(RangeError);
    expect(() => latency(-1)).toThrow(RangeError);
    expect(() => cutStreamAfter(1.5)).toThrow(RangeError);
    expect(() => createScenarios().use(networkError(), { times: 0 })).toThrow(RangeError);
  });
});

describe('faults on the wire', () => {
  const baseURL = 'http://faults.test';
  const store = createStore({ baseURL });
  const faults = createScenarios();
  const server = setupServer(...createHandlers({ store, scenarios: faults }));
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => {
    faults.reset();
    store.reset();
  });
  afterAll(() => server.close());

  const startThread = async (signal?: AbortSignal) =>
    fetch(`${baseURL}/chatkit`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${(await store.engine.chatkitSessions.create({}, { auth: { kind: 'anonymous' } })).client_secret}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        type: 'threads.create',
        params: {
          input: { content: [{ type: 'input_text', text: 'Hi' }], attachments: [], inference_options: {} },
        },
      }),
      ...(signal ? { signal } : {}),
    });

  it('delays answers by the latency', async () => {
    faults.use(latency(120), { route: 'health.get', once: true });
    const started = performance.now();
    await fetch(`${baseURL}/health`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
    const again = performance.now();
    await fetch(`${baseURL}/health`);
    expect(performance.now() - again).toBeLessThan(100);
  });

  it('answers any error status with the envelope and the given headers', async () => {
    faults.use(status(503, { headers: { 'Retry-After': '2' } }), {
      route: 'chatkit.session.create',
      times: 2,
    });
    for (let i = 0; i < 2; i++) {
      const response = await fetch(`${baseURL}/api/chatkit/session`, { method: 'POST' });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('2');
      expect(response.headers.get('x-request-id')).toMatch(/^req_/);
      const envelope = ErrorEnvelope.parse(await response.json());
      expect(envelope.error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', type: 'ServiceUnavailableError' });
    }
    expect((await fetch(`${baseURL}/api/chatkit/session`, { method: 'POST' })).status).toBe(200);
  });

  it('answers a custom error code with the status it was given', async () => {
    faults.use(status(404, { errorCode: 'THREAD_NOT_FOUND' }), { once: true });
    const response = await fetch(`${baseURL}/health`);
    expect(response.status).toBe(404);
    expect(ErrorEnvelope.parse(await response.json()).error).toMatchObject({
      code: 'THREAD_NOT_FOUND',
      type: 'NotFoundError',
    });
  });

  it('rate limits with 429 and Retry-After', async () => {
    faults.use(rateLimited({ retryAfterSeconds: 1 }), { route: 'chatkit.request', once: true });
    const response = await startThread();
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(ErrorEnvelope.parse(await response.json()).error.code).toBe('RATE_LIMITED');
    expect((await startThread()).status).toBe(200);
  });

  it('fails the request at the network level', async () => {
    faults.use(networkError(), { route: 'system.health', once: true });
    await expect(fetch(`${baseURL}/api/health`)).rejects.toThrow(TypeError);
    expect((await fetch(`${baseURL}/api/health`)).status).toBe(200);
  });

  it('cuts a stream after n events so reading the body fails', async () => {
    faults.use(cutStreamAfter(3), { once: true });
    const response = await startThread();
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const failure = await (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return undefined;
        text += decoder.decode(value);
      }
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(text.split('\n\n').filter(Boolean)).toHaveLength(3);
    expect((await (await startThread()).text()).split('\n\n').filter(Boolean).length).toBeGreaterThan(3);
  });

  it('does not spend a stream fault on a JSON request', async () => {
    faults.use(cutStreamAfter(0), { once: true });
    await fetch(`${baseURL}/health`);
    expect(faults.active).toHaveLength(1);
  });

  it('stalls a stream after n events until the client aborts', async () => {
    faults.use(stallStreamAfter(2), { once: true });
    const controller = new AbortController();
    const response = await startThread(controller.signal);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (text.split('\n\n').filter(Boolean).length < 2) text += decoder.decode((await reader.read()).value);
    const next = reader.read();
    const outcome = await Promise.race([
      next.then(() => 'data'),
      new Promise((resolve) => setTimeout(() => resolve('silent'), 150)),
    ]);
    expect(outcome).toBe('silent');
    controller.abort();
    await expect(next).rejects.toThrow();
    expect(text.split('\n\n').filter(Boolean)).toHaveLength(2);
  });
});
