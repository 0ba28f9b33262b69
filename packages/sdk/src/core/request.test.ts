import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  type APIConnectionError,
  APIError,
  type APITimeoutError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  isAPIConnectionError,
  isAPITimeoutError,
  isAPIUserAbortError,
  isCartritaError,
  isRateLimitError,
  isResponseValidationError,
  isStreamError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from './errors.js';
import { path } from './path.js';
import { type RetryEvent, Transport, type TransportOptions } from './request.js';
import type { SSEMessage } from './stream.js';

/** What the test server saw of one request. */
interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

type Handler = (request: IncomingMessage, response: ServerResponse, index: number) => void | Promise<void>;

const servers: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((close) => close()));
});

/** Starts a real HTTP server on 127.0.0.1, port 0, answering every request with `handler`. */
const serve = async (handler: Handler) => {
  const seen: Seen[] = [];
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const index = seen.length;
    seen.push({
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
      body: Buffer.concat(chunks).toString(),
    });
    await handler(request, response, index);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  servers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { baseURL: `http://127.0.0.1:${port}`, seen };
};

const json = (
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) => {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
};

const envelope = (code: string, message: string) => ({
  error: { code, type: 'TestError', message, details: {} },
  timestamp: '2026-01-01T00:00:00.000Z',
  request_id: 'req_test',
});

const transport = (baseURL: string, options: Partial<TransportOptions> = {}) =>
  new Transport({ baseURL, ...options });

/** A transport that records its retry waits. */
const recording = (baseURL: string, options: Partial<TransportOptions> = {}) => {
  const retries: RetryEvent[] = [];
  const client = transport(baseURL, { ...options, onRetry: (event) => retries.push(event) });
  return { client, retries };
};

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );

describe('Transport.request', () => {
  it('sends the API key as a bearer token and parses the JSON response', async () => {
    const { baseURL, seen } = await serve((_, response) => json(response, 200, { status: 'ok' }));
    const result = await transport(baseURL, { apiKey: 'sk_test' }).request({
      method: 'GET',
      path: '/health',
    });
    expect(result).toEqual({ status: 'ok' });
    expect(seen[0]?.headers.authorization).toBe('Bearer sk_test');
    expect(seen[0]?.headers.accept).toBe('application/json');
  });

  it('keeps the path prefix of the base URL and encodes the query', async () => {
    const { baseURL, seen } = await serve((_, response) => json(response, 200, {}));
    await transport(`${baseURL}/cartrita/`).request({
      method: 'GET',
      path: path`/api/sessions/${'sess 1'}/events`,
      query: { limit: 10, event_type: 'a&b', skip: undefined, tag: ['x', 'y'] },
    });
    expect(seen[0]?.url).toBe('/cartrita/api/sessions/sess%201/events?limit=10&event_type=a%26b&tag=x&tag=y');
  });

  it('sends a plain object as JSON', async () => {
    const { baseURL, seen } = await serve((_, response) => json(response, 201, { session_id: 'sess_1' }));
    await transport(baseURL).request({ method: 'POST', path: '/api/sessions', body: { name: 'a' } });
    expect(seen[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({ name: 'a' });
  });

  it('passes a multipart body through untouched', async () => {
    const { baseURL, seen } = await serve((_, response) => json(response, 200, { file_id: 'file_1' }));
    const form = new FormData();
    form.append('file', new Blob(['hello file'], { type: 'text/plain' }), 'hello.txt');
    form.append('conversation_id', 'thr_1');
    await transport(baseURL).request({ method: 'POST', path: '/api/upload', body: form });
    expect(seen[0]?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen[0]?.body).toContain('filename="hello.txt"');
    expect(seen[0]?.body).toContain('hello file');
    expect(seen[0]?.body).toContain('thr_1');
  });

  it('merges default headers, call headers and removals', async () => {
    const { baseURL, seen } = await serve((_, response) => json(response, 200, {}));
    await transport(baseURL, { apiKey: 'sk', defaultHeaders: { 'x-app': 'a', 'x-gone': 'b' } }).request({
      method: 'GET',
      path: '/x',
      headers: { 'x-app': 'override', 'x-gone': null, authorization: 'Bearer mine' },
    });
    expect(seen[0]?.headers).toMatchObject({ 'x-app': 'override', authorization: 'Bearer mine' });
    expect(seen[0]?.headers['x-gone']).toBeUndefined();
  });

  it('returns undefined for 204 and an empty body', async () => {
    const { baseURL } = await serve((request, response) => {
      response.writeHead(request.url === '/none' ? 204 : 200);
      response.end();
    });
    await expect(transport(baseURL).request({ method: 'DELETE', path: '/none' })).resolves.toBeUndefined();
    await expect(transport(baseURL).request({ method: 'GET', path: '/empty' })).resolves.toBeUndefined();
  });

  it('validates the response with a zod/mini schema', async () => {
    const { baseURL } = await serve((_, response) =>
      json(response, 200, { session_id: 'sess_1', status: 'active' }),
    );
    const Session = z.object({ session_id: z.string(), status: z.string() });
    const session = await transport(baseURL).request({
      method: 'GET',
      path: '/api/sessions/sess_1',
      schema: Session,
    });
    expect(session.session_id).toBe('sess_1');
  });

  it('names the path and the field when the response does not match the schema', async () => {
    const { baseURL } = await serve((_, response) => json(response, 200, { session_id: 7 }));
    const error = await failure(
      transport(baseURL).request({
        method: 'GET',
        path: '/api/sessions/sess_1',
        schema: z.object({ session_id: z.string() }),
      }),
    );
    expect(isResponseValidationError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /^The response to GET \/api\/sessions\/sess_1 did not match the expected schema: session_id: /,
    );
  });

  it('rejects a 2xx body that is not JSON with a clear error', async () => {
    const { baseURL } = await serve((_, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html>');
    });
    const error = await failure(transport(baseURL).request({ method: 'GET', path: '/page' }));
    expect(isResponseValidationError(error)).toBe(true);
    expect((error as Error).message).toBe('The response to GET /page is not valid JSON');
  });

  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [422, UnprocessableEntityError],
    [429, RateLimitError],
    [500, InternalServerError],
    [503, InternalServerError],
  ])('turns status %i into its error class', async (status, type) => {
    const { baseURL } = await serve((_, response) =>
      json(response, status, envelope('SOME_CODE', 'It went wrong'), { 'x-request-id': 'req_header' }),
    );
    const error = await failure(
      transport(baseURL, { maxRetries: 0 }).request({ method: 'GET', path: path`/api/sessions/${'sess_1'}` }),
    );
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ status, code: 'SOME_CODE', type: 'TestError', requestId: 'req_test' });
    expect((error as Error).message).toBe(
      `Request failed with status ${status}: GET /api/sessions/sess_1 (SOME_CODE: It went wrong)`,
    );
  });

  it('falls back to the X-Request-Id header when the body has no request id', async () => {
    const { baseURL } = await serve((_, response) => {
      response.writeHead(418, { 'x-request-id': 'req_header' });
      response.end('short and stout');
    });
    const error = (await failure(transport(baseURL).request({ method: 'GET', path: '/teapot' }))) as APIError;
    expect(error.constructor).toBe(APIError);
    expect(error.requestId).toBe('req_header');
    expect(error.body).toBe('short and stout');
  });

  it('returns the raw response for other bodies', async () => {
    const { baseURL } = await serve((_, response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.end(Buffer.from([1, 2, 3]));
    });
    const response = await transport(baseURL).requestRaw({ method: 'GET', path: '/files/file_1/content' });
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([1, 2, 3]);
  });
});

describe('Transport retries', () => {
  it('retries a 429 after Retry-After', async () => {
    const { baseURL, seen } = await serve((_, response, index) =>
      index === 0
        ? json(response, 429, envelope('RATE_LIMITED', 'Slow down'), { 'retry-after': '1' })
        : json(response, 200, { ok: true }),
    );
    const { client, retries } = recording(baseURL);
    await expect(client.request({ method: 'GET', path: '/api/agents' })).resolves.toEqual({ ok: true });
    expect(seen).toHaveLength(2);
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ retry: 1, delayMs: 1000, method: 'GET', path: '/api/agents' });
    expect(isRateLimitError(retries[0]?.error)).toBe(true);
  });

  it('retries after retry-after-ms and counts the retries in a header', async () => {
    const { baseURL, seen } = await serve((_, response, index) =>
      index < 2 ? json(response, 503, {}, { 'retry-after-ms': '25' }) : json(response, 200, { ok: true }),
    );
    const { client, retries } = recording(baseURL);
    await client.request({ method: 'GET', path: '/api/status' });
    expect(retries.map((event) => event.delayMs)).toEqual([25, 25]);
    expect(seen.map((request) => request.headers['x-cartrita-retry-count'])).toEqual([undefined, '1', '2']);
  });

  it('backs off without a Retry-After header', async () => {
    const { baseURL } = await serve((_, response, index) =>
      index === 0 ? json(response, 500, {}) : json(response, 200, {}),
    );
    const { client, retries } = recording(baseURL);
    await client.request({ method: 'GET', path: '/x' });
    expect(retries[0]?.delayMs).toBeGreaterThanOrEqual(375);
    expect(retries[0]?.delayMs).toBeLessThanOrEqual(625);
  });

  it('gives up after maxRetries and throws the last error', async () => {
    const { baseURL, seen } = await serve((_, response) =>
      json(response, 503, {}, { 'retry-after-ms': '1' }),
    );
    const error = await failure(transport(baseURL, { maxRetries: 3 }).request({ method: 'GET', path: '/x' }));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(seen).toHaveLength(4);
  });

  it('does not retry a 4xx other than 408, 409 and 429', async () => {
    const { baseURL, seen } = await serve((_, response) => json(response, 404, {}));
    await failure(transport(baseURL).request({ method: 'GET', path: '/x' }));
    expect(seen).toHaveLength(1);
  });

  it('gives a POST an Idempotency-Key and sends the same key on the retry', async () => {
    const { baseURL, seen } = await serve((_, response, index) =>
      index === 0 ? json(response, 500, {}, { 'retry-after-ms': '1' }) : json(response, 201, { ok: true }),
    );
    await transport(baseURL).request({ method: 'POST', path: '/api/chat', body: { message: 'hi' } });
    expect(seen).toHaveLength(2);
    const keys = seen.map((request) => request.headers['idempotency-key']);
    expect(keys[0]).toMatch(/^cartrita-[0-9a-f]{32}$/);
    expect(keys[1]).toBe(keys[0]);
  });

  it('gives each POST call its own key', async () => {
    const { baseURL, seen } = await serve((_, response) => json(response, 200, {}));
    const client = transport(baseURL);
    await client.request({ method: 'POST', path: '/a', body: {} });
    await client.request({ method: 'POST', path: '/a', body: {} });
    expect(seen[0]?.headers['idempotency-key']).not.toBe(seen[1]?.headers['idempotency-key']);
  });

  it('uses the idempotency key the caller passes', async () => {
    const { baseURL, seen } = await serve((_, response) => json(response, 200, {}));
    await transport(baseURL).request({ method: 'POST', path: '/a', body: {}, idempotencyKey: 'order-42' });
    expect(seen[0]?.headers['idempotency-key']).toBe('order-42');
  });

  it('does not retry a POST whose idempotency key was turned off', async () => {
    const { baseURL, seen } = await serve((_, response) =>
      json(response, 500, {}, { 'retry-after-ms': '1' }),
    );
    const error = await failure(
      transport(baseURL).request({ method: 'POST', path: '/api/chat', body: {}, idempotencyKey: false }),
    );
    expect(error).toBeInstanceOf(InternalServerError);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.headers['idempotency-key']).toBeUndefined();
  });

  it('does not retry a PATCH without a key', async () => {
    const { baseURL, seen } = await serve((_, response) =>
      json(response, 503, {}, { 'retry-after-ms': '1' }),
    );
    await failure(transport(baseURL).request({ method: 'PATCH', path: '/x', body: {} }));
    expect(seen).toHaveLength(1);
  });

  it('retries a network error, then throws APIConnectionError with the cause', async () => {
    const { baseURL, seen } = await serve((request) => {
      request.socket.destroy();
    });
    const { client, retries } = recording(baseURL, { maxRetries: 1 });
    const error = await failure(client.request({ method: 'GET', path: '/api/health' }));
    expect(isAPIConnectionError(error)).toBe(true);
    expect((error as APIConnectionError).message).toBe('Could not reach the server: GET /api/health');
    expect((error as APIConnectionError).cause).toBeDefined();
    expect(seen).toHaveLength(2);
    expect(retries).toHaveLength(1);
  });

  it('rejects promptly with APIUserAbortError when aborted during a retry wait', async () => {
    const { baseURL, seen } = await serve((_, response) =>
      json(response, 503, {}, { 'retry-after-ms': '50000' }),
    );
    const controller = new AbortController();
    const client = transport(baseURL, { onRetry: () => controller.abort() });
    const error = await failure(client.request({ method: 'GET', path: '/x', signal: controller.signal }));
    expect(isAPIUserAbortError(error)).toBe(true);
    expect((error as Error).message).toBe('Request was aborted: GET /x');
    expect(seen).toHaveLength(1);
  });

  it('rejects with APIUserAbortError and does not retry when aborted while waiting for headers', async () => {
    const controller = new AbortController();
    const { baseURL, seen } = await serve(() => controller.abort('navigated away'));
    const error = await failure(
      transport(baseURL).request({ method: 'GET', path: '/x', signal: controller.signal }),
    );
    expect(isAPIUserAbortError(error)).toBe(true);
    expect((error as Error).cause).toBe('navigated away');
    expect(seen).toHaveLength(1);
  });

  it('sends nothing when the signal has already aborted', async () => {
    const { baseURL, seen } = await serve((_, response) => json(response, 200, {}));
    const error = await failure(
      transport(baseURL).request({ method: 'GET', path: '/x', signal: AbortSignal.abort() }),
    );
    expect(isAPIUserAbortError(error)).toBe(true);
    expect(seen).toHaveLength(0);
  });

  it('throws the real error at once when a backoff wait would outlive the total deadline', async () => {
    const { baseURL, seen } = await serve((_, response) => json(response, 500, envelope('BROKEN', 'Down')));
    // The first backoff wait is at least 375 ms.
    const { client, retries } = recording(baseURL, { totalTimeout: 300 });
    const error = await failure(client.request({ method: 'GET', path: '/x' }));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(retries).toHaveLength(0);
    expect(seen).toHaveLength(1);
  });

  it('retries a fetch that fails in a way the runtime does not call a network error', async () => {
    let calls = 0;
    const fetch = async () => {
      calls++;
      if (calls === 1) throw new Error('offline');
      return new Response('{"ok":true}', { headers: { 'content-type': 'application/json' } });
    };
    const { client, retries } = recording('http://x.test', { fetch });
    await expect(client.request({ method: 'GET', path: '/x' })).resolves.toEqual({ ok: true });
    expect(calls).toBe(2);
    expect(isAPIConnectionError(retries[0]?.error)).toBe(true);
    expect(retries[0]?.error).toMatchObject({ cause: new Error('offline') });
  });

  it('throws what it cannot send as it is, without sending', async () => {
    const { baseURL, seen } = await serve((_, response) => json(response, 200, {}));
    const error = await failure(transport(baseURL).request({ method: 'POST', path: '/x', body: { n: 1n } }));
    expect(error).toBeInstanceOf(TypeError);
    expect(isCartritaError(error)).toBe(false);
    expect(seen).toHaveLength(0);
  });

  it('throws the real error at once when a retry wait would outlive the total deadline', async () => {
    const { baseURL, seen } = await serve((_, response) =>
      json(response, 429, envelope('RATE_LIMITED', 'Slow down'), { 'retry-after': '30' }),
    );
    const { client, retries } = recording(baseURL, { totalTimeout: 5_000 });
    const error = await failure(client.request({ method: 'GET', path: '/x' }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(30_000);
    expect(retries).toHaveLength(0);
    expect(seen).toHaveLength(1);
  });
});

describe('Transport authentication', () => {
  it('refreshes the token after a 401 and retries once', async () => {
    const { baseURL, seen } = await serve((request, response) =>
      request.headers.authorization === 'Bearer fresh'
        ? json(response, 200, { ok: true })
        : json(response, 401, envelope('UNAUTHORIZED', 'Client secret expired')),
    );
    const calls: boolean[] = [];
    const client = transport(baseURL, {
      getAuthToken: ({ force }) => {
        calls.push(force);
        return force ? 'fresh' : 'stale';
      },
    });
    await expect(client.request({ method: 'POST', path: '/chatkit', body: {} })).resolves.toEqual({
      ok: true,
    });
    expect(calls).toEqual([false, true]);
    expect(seen.map((request) => request.headers.authorization)).toEqual(['Bearer stale', 'Bearer fresh']);
    expect(seen[1]?.headers['idempotency-key']).toBe(seen[0]?.headers['idempotency-key']);
  });

  it('refreshes only once and then throws AuthenticationError', async () => {
    const { baseURL, seen } = await serve((_, response) =>
      json(response, 401, envelope('UNAUTHORIZED', 'No')),
    );
    const calls: boolean[] = [];
    const client = transport(baseURL, {
      getAuthToken: async ({ force }) => {
        calls.push(force);
        return 'token';
      },
    });
    const error = await failure(client.request({ method: 'GET', path: '/x' }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(calls).toEqual([false, true]);
    expect(seen).toHaveLength(2);
  });

  it('refreshes after a 401 without spending a retry', async () => {
    const { baseURL, seen } = await serve((request, response) =>
      request.headers.authorization === 'Bearer fresh'
        ? json(response, 200, { ok: true })
        : json(response, 401, envelope('UNAUTHORIZED', 'Client secret expired')),
    );
    const client = transport(baseURL, {
      maxRetries: 0,
      getAuthToken: ({ force }) => (force ? 'fresh' : 'stale'),
    });
    await expect(client.request({ method: 'GET', path: '/x' })).resolves.toEqual({ ok: true });
    expect(seen.map((request) => request.headers['x-cartrita-retry-count'])).toEqual([undefined, '1']);
  });

  it('lets a failing token hook reject the call as it is, also on a retry', async () => {
    const { baseURL, seen } = await serve((_, response) =>
      json(response, 503, {}, { 'retry-after-ms': '1' }),
    );
    const broken = new Error('no secret today');
    let calls = 0;
    const client = transport(baseURL, {
      getAuthToken: () => {
        calls++;
        if (calls > 1) throw broken;
        return 'secret';
      },
    });
    await expect(client.request({ method: 'GET', path: '/x' })).rejects.toBe(broken);
    expect(seen).toHaveLength(1);
  });

  it('does not retry a 401 without a token hook', async () => {
    const { baseURL, seen } = await serve((_, response) => json(response, 401, {}));
    await failure(transport(baseURL, { apiKey: 'sk' }).request({ method: 'GET', path: '/x' }));
    expect(seen).toHaveLength(1);
  });

  it('asks the hook before every attempt and falls back to the API key', async () => {
    const { baseURL, seen } = await serve((_, response, index) =>
      index === 0 ? json(response, 503, {}, { 'retry-after-ms': '1' }) : json(response, 200, {}),
    );
    let calls = 0;
    const client = transport(baseURL, {
      apiKey: 'sk_fallback',
      getAuthToken: () => {
        calls++;
        return calls === 1 ? undefined : 'secret_2';
      },
    });
    await client.request({ method: 'GET', path: '/x' });
    expect(seen.map((request) => request.headers.authorization)).toEqual([
      'Bearer sk_fallback',
      'Bearer secret_2',
    ]);
  });
});

describe('Transport timeouts', () => {
  it('times out waiting for headers', async () => {
    const { baseURL } = await serve(() => {});
    const error = await failure(
      transport(baseURL, { timeout: 50, maxRetries: 0 }).request({ method: 'GET', path: '/slow' }),
    );
    expect(isAPITimeoutError(error)).toBe(true);
    expect((error as APITimeoutError).kind).toBe('headers');
    expect((error as Error).message).toBe(
      'Timed out after 50 ms while waiting for response headers: GET /slow',
    );
  });

  it('retries an attempt whose headers timed out', async () => {
    const { baseURL, seen } = await serve((_, response, index) => {
      if (index > 0) json(response, 200, { ok: true });
    });
    const { client, retries } = recording(baseURL, { timeout: 300, maxRetries: 1 });
    await expect(client.request({ method: 'GET', path: '/x' })).resolves.toEqual({ ok: true });
    expect(seen).toHaveLength(2);
    expect(isAPITimeoutError(retries[0]?.error)).toBe(true);
  });

  it('times out a body that stalls past the total deadline', async () => {
    const { baseURL } = await serve((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"partial":');
    });
    const error = await failure(
      transport(baseURL, { totalTimeout: 100 }).request({ method: 'GET', path: '/x' }),
    );
    expect(isAPITimeoutError(error)).toBe(true);
    expect((error as APITimeoutError).kind).toBe('total');
  });
});

describe('Transport.stream', () => {
  const passThrough = (message: SSEMessage) => message;

  const sseHeaders = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };

  it('streams events and keeps the last event id', async () => {
    const { baseURL, seen } = await serve((_, response) => {
      response.writeHead(200, sseHeaders);
      response.end('id: 1\ndata: {"type":"chunk","text":"Hel"}\n\nid: 2\ndata: {"type":"done"}\n\n');
    });
    const stream = await transport(baseURL).stream({
      method: 'POST',
      path: '/api/chat/stream',
      body: { message: 'hi' },
      decode: ({ data }) => JSON.parse(data) as { type: string },
    });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual(['chunk', 'done']);
    expect(stream.lastEventId).toBe('2');
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    expect(seen[0]?.headers.accept).toBe('text/event-stream');
  });

  it('raises an idle APITimeoutError on a stalled stream', async () => {
    const { baseURL } = await serve((_, response) => {
      response.writeHead(200, sseHeaders);
      response.write('data: first\n\n');
    });
    const stream = await transport(baseURL, { idleTimeout: 100 }).stream({
      method: 'GET',
      path: '/api/chat/stream',
      decode: passThrough,
    });
    const items: string[] = [];
    const error = await failure(
      (async () => {
        for await (const item of stream) items.push(item.data);
      })(),
    );
    expect(items).toEqual(['first']);
    expect(isAPITimeoutError(error)).toBe(true);
    expect((error as APITimeoutError).kind).toBe('idle');
  });

  it('keeps a stream alive while the server sends comments', async () => {
    const { baseURL } = await serve(async (_, response) => {
      response.writeHead(200, sseHeaders);
      for (let beat = 0; beat < 30; beat++) {
        response.write(': keepalive\n\n');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      response.end('data: done\n\n');
    });
    const stream = await transport(baseURL, { idleTimeout: 2_000 }).stream({
      method: 'GET',
      path: '/s',
      decode: passThrough,
    });
    const items: string[] = [];
    for await (const item of stream) items.push(item.data);
    expect(items).toEqual(['done']);
  });

  it('applies the total deadline to the stream', async () => {
    const { baseURL } = await serve(async (_, response) => {
      response.writeHead(200, sseHeaders);
      const timer = setInterval(() => response.write('data: tick\n\n'), 10);
      response.on('close', () => clearInterval(timer));
    });
    const stream = await transport(baseURL, { totalTimeout: 150 }).stream({
      method: 'GET',
      path: '/s',
      decode: passThrough,
    });
    const error = await failure(
      (async () => {
        for await (const _ of stream) {
        }
      })(),
    );
    expect(isAPITimeoutError(error)).toBe(true);
    expect((error as APITimeoutError).kind).toBe('total');
  });

  it('aborts the server response when the consumer breaks out early', async () => {
    let closed!: () => void;
    const serverSawClose = new Promise<void>((resolve) => {
      closed = resolve;
    });
    const { baseURL } = await serve((_, response) => {
      response.writeHead(200, sseHeaders);
      const timer = setInterval(() => response.write('data: tick\n\n'), 5);
      response.on('close', () => {
        clearInterval(timer);
        closed();
      });
    });
    const stream = await transport(baseURL).stream({ method: 'GET', path: '/s', decode: passThrough });
    let count = 0;
    for await (const _ of stream) {
      if (++count === 2) break;
    }
    await serverSawClose;
    expect(stream.signal.aborted).toBe(true);
  });

  it('raises APIConnectionError when the connection drops mid-stream', async () => {
    const { baseURL } = await serve((request, response) => {
      response.writeHead(200, sseHeaders);
      response.write('data: one\n\n', () => setTimeout(() => request.socket.destroy(), 20));
    });
    const stream = await transport(baseURL).stream({ method: 'GET', path: '/s', decode: passThrough });
    const items: string[] = [];
    const error = await failure(
      (async () => {
        for await (const item of stream) items.push(item.data);
      })(),
    );
    expect(items).toEqual(['one']);
    expect(isAPIConnectionError(error)).toBe(true);
  });

  it('raises StreamError when the server ends the stream mid-event', async () => {
    const { baseURL } = await serve((_, response) => {
      response.writeHead(200, sseHeaders);
      response.end('data: one\n\ndata: {"half":');
    });
    const stream = await transport(baseURL).stream({ method: 'GET', path: '/s', decode: passThrough });
    const error = await failure(
      (async () => {
        for await (const _ of stream) {
        }
      })(),
    );
    expect(isStreamError(error)).toBe(true);
    expect((error as Error).message).toBe('The stream ended in the middle of an event: GET /s');
  });

  it('rejects a stream call answered with something other than an event stream', async () => {
    const { baseURL } = await serve((_, response) => json(response, 200, { response: 'not streamed' }));
    const error = await failure(
      transport(baseURL).stream({ method: 'POST', path: '/chat/', decode: passThrough }),
    );
    expect(isStreamError(error)).toBe(true);
    expect((error as Error).message).toBe('Expected an event stream, got application/json: POST /chat/');
  });

  it('rejects with the status error before any event when the server refuses the stream', async () => {
    const { baseURL } = await serve((_, response) =>
      json(response, 404, envelope('THREAD_NOT_FOUND', 'No thread')),
    );
    const error = await failure(
      transport(baseURL).stream({ method: 'POST', path: '/chatkit', decode: passThrough }),
    );
    expect(error).toBeInstanceOf(NotFoundError);
  });
});
