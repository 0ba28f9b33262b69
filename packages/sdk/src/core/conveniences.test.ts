import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { APIPromise } from './api-promise.js';
import type { Logger } from './logger.js';
import { redactUrl } from './logger.js';
import { Transport, type TransportOptions } from './request.js';
import { DEFAULT_TIMEOUT_MS } from './timeouts.js';

// Raw responses, logging, the server's retry advice, fetch options and hooks, and defaults, against a
// real HTTP server on 127.0.0.1.

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

const serve = async (handler: (response: ServerResponse, index: number) => void) => {
  const seen: Seen[] = [];
  const server = createServer(async (request, response) => {
    for await (const _ of request);
    seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
    handler(response, seen.length - 1);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
};

const json = (
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) => {
  response.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req_test1', ...headers });
  response.end(JSON.stringify(body));
};

const Thing = z.object({ id: z.string(), n: z.number() });

const transport = (options: Partial<TransportOptions> & { baseURL: string }) =>
  new Transport({ maxRetries: 2, ...options });

const recordingLogger = () => {
  const lines: { level: string; message: string; fields: unknown }[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    lines.push({ level, message, fields });
  const logger: Logger = { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
  return { lines, logger };
};

describe('APIPromise', () => {
  it('resolves to the data, and withResponse() adds the response and the request id', async () => {
    const { baseURL } = await serve((response) => json(response, 201, { id: 'thing_1', n: 2 }));
    const call = transport({ baseURL }).request({ method: 'POST', path: '/things', body: {}, schema: Thing });
    expect(call).toBeInstanceOf(APIPromise);
    const { data, response, requestId } = await call.withResponse();
    expect([data, response.status, requestId]).toEqual([{ id: 'thing_1', n: 2 }, 201, 'req_test1']);
    expect(await call).toEqual({ id: 'thing_1', n: 2 });
  });

  it('asResponse() gives the response with its body unread, and parses nothing', async () => {
    const { baseURL } = await serve((response) => json(response, 200, { id: 'thing_1', n: 'not a number' }));
    const response = await transport({ baseURL })
      .request({ method: 'GET', path: '/things/1', schema: Thing })
      .asResponse();
    expect([response.status, response.bodyUsed, response.headers.get('x-request-id')]).toEqual([
      200,
      false,
      'req_test1',
    ]);
    expect(await response.json()).toEqual({ id: 'thing_1', n: 'not a number' });
  });

  it('rejects through whichever way it is read, and derived promises are plain ones', async () => {
    const { baseURL } = await serve((response) =>
      json(response, 404, { error: { code: 'NOT_FOUND', message: 'gone' } }),
    );
    const call = transport({ baseURL, maxRetries: 0 }).request({ method: 'GET', path: '/things/9' });
    const chained = call.then(() => 'found');
    expect(chained).not.toBeInstanceOf(APIPromise);
    await expect(chained).rejects.toMatchObject({ status: 404, requestId: 'req_test1' });
    await expect(call.withResponse()).rejects.toMatchObject({ status: 404 });
    await expect(call.asResponse()).rejects.toMatchObject({ status: 404 });
  });
});

describe('logging', () => {
  it('logs each request at debug with its credentials redacted, and each response at info with its request id', async () => {
    const { baseURL } = await serve((response) => json(response, 200, { id: 'thing_1', n: 1 }));
    const { lines, logger } = recordingLogger();
    const secret = 'cks_live_secret_value_1234567890';
    await transport({ baseURL, logLevel: 'debug', logger, getAuthToken: () => secret }).request({
      method: 'GET',
      path: '/things/1',
      query: { access_token: secret, q: 'ok' },
    });
    expect(lines.map((line) => [line.level, line.message])).toEqual([
      ['debug', `GET ${baseURL}/things/1?access_token=[redacted]&q=ok`],
      ['info', 'GET /things/1 200'],
    ]);
    expect(JSON.stringify(lines)).not.toContain('live_secret');
    expect(lines[0]?.fields).toMatchObject({ headers: { authorization: '[redacted]' } });
    expect(lines[1]?.fields).toMatchObject({ status: 200, requestId: 'req_test1' });
  });

  it('logs retries at warn and failures at error, and nothing below its level', async () => {
    const { baseURL } = await serve((response) =>
      json(
        response,
        503,
        { error: { code: 'SERVICE_UNAVAILABLE', message: 'busy' } },
        { 'retry-after-ms': '1' },
      ),
    );
    const { lines, logger } = recordingLogger();
    await expect(
      transport({ baseURL, logLevel: 'warn', logger, maxRetries: 1 }).request({
        method: 'GET',
        path: '/busy',
      }),
    ).rejects.toMatchObject({ status: 503 });
    expect(lines.map((line) => [line.level, line.message])).toEqual([
      ['warn', 'GET /busy: retry 1 in 1 ms'],
      ['error', 'GET /busy failed'],
    ]);
  });

  it('logs nothing by default', async () => {
    const { baseURL } = await serve((response) => json(response, 200, {}));
    const { lines, logger } = recordingLogger();
    await transport({ baseURL, logger }).request({ method: 'GET', path: '/quiet' });
    expect(lines).toEqual([]);
  });

  it('redacts secret-looking parameters and client secrets anywhere in a URL', () => {
    expect(redactUrl('https://user:pw@api.test/x/cks_abc.def?api_key=k&token=t&keep=1')).toBe(
      'https://api.test/x/cks_[redacted]?api_key=[redacted]&token=[redacted]&keep=1',
    );
  });
});

describe('the server’s retry advice', () => {
  it('retries a status it would not retry when the response says x-should-retry: true', async () => {
    const { baseURL, seen } = await serve((response, index) =>
      index === 0
        ? json(
            response,
            400,
            { error: { code: 'BAD_REQUEST', message: 'try again' } },
            { 'x-should-retry': 'true' },
          )
        : json(response, 200, { id: 'thing_1', n: 1 }),
    );
    expect(await transport({ baseURL }).request({ method: 'GET', path: '/flaky', schema: Thing })).toEqual({
      id: 'thing_1',
      n: 1,
    });
    expect(seen).toHaveLength(2);
  });

  it('does not retry a 503 that says x-should-retry: false', async () => {
    const { baseURL, seen } = await serve((response) =>
      json(
        response,
        503,
        { error: { code: 'SERVICE_UNAVAILABLE', message: 'no' } },
        { 'x-should-retry': 'false' },
      ),
    );
    await expect(transport({ baseURL }).request({ method: 'GET', path: '/down' })).rejects.toMatchObject({
      status: 503,
    });
    expect(seen).toHaveLength(1);
  });
});

describe('fetch options, hooks and per-call keys', () => {
  it('passes the client’s and the call’s fetch options to fetch, the call’s winning', async () => {
    const { baseURL } = await serve((response) => json(response, 200, {}));
    const requests: Request[] = [];
    const client = transport({
      baseURL,
      fetchOptions: { credentials: 'include', cache: 'no-store' },
      fetch: (input, init) => {
        requests.push(input as Request);
        return fetch(input, init);
      },
    });
    await client.request({ method: 'GET', path: '/a' });
    await client.request({ method: 'GET', path: '/b', fetchOptions: { credentials: 'omit' } });
    expect(requests.map((request) => [request.credentials, request.cache])).toEqual([
      ['include', 'no-store'],
      ['omit', 'no-store'],
    ]);
  });

  it('runs beforeRequest hooks on every call, so tracing headers reach the server', async () => {
    const { baseURL, seen } = await serve((response) => json(response, 200, {}));
    const client = transport({
      baseURL,
      hooks: {
        beforeRequest: [
          ({ request }) => {
            request.headers.set('traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
          },
        ],
      },
    });
    await client.request({ method: 'GET', path: '/traced' });
    expect(seen[0]?.headers.traceparent).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
  });

  it('sends the caller’s idempotency key', async () => {
    const { baseURL, seen } = await serve((response) => json(response, 200, {}));
    await transport({ baseURL }).request({
      method: 'POST',
      path: '/once',
      body: {},
      idempotencyKey: 'order-42',
    });
    expect(seen[0]?.headers['idempotency-key']).toBe('order-42');
  });
});

describe('defaults that let healthy work finish', () => {
  it('waits longer for headers than the reference server waits for its provider (2 min)', () => {
    expect(DEFAULT_TIMEOUT_MS).toBeGreaterThan(120_000);
    expect(transport({ baseURL: 'http://127.0.0.1:1' }).callDefaults.timeout).toBe(DEFAULT_TIMEOUT_MS);
  });

  it('gives streams no total deadline unless the client sets one', () => {
    expect(transport({ baseURL: 'http://127.0.0.1:1' }).streamTotalTimeout).toBe(0);
    expect(transport({ baseURL: 'http://127.0.0.1:1', totalTimeout: 5_000 }).streamTotalTimeout).toBe(5_000);
  });
});
