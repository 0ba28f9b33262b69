/**
 * The findings of the hardening review, each tried the way an attacker or a careless client would,
 * against a real server over real sockets. Every test here failed before the fix it names.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorEnvelope } from '@cartrita/contracts';
import { signClientSecret } from '@cartrita/engine';
import { describe, expect, it, onTestFinished } from 'vitest';
import { WebSocket } from 'ws';
import { chatkit, createSecret, input, useServer } from './helpers.js';

const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const html = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');

/** Sends raw bytes and resolves everything the server wrote until it closed the connection. */
const raw = (url: string, request: string | Buffer, timeoutMs = 5_000) =>
  new Promise<string>((resolve, reject) => {
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open; it wrote: ${received.slice(0, 300)}`));
    }, timeoutMs);
    socket.on('data', (data) => {
      received += data.toString('latin1');
    });
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
    socket.write(request);
  });

/** The status, headers (lower-cased names) and envelope of a raw HTTP answer. */
const parseRaw = (answer: string) => {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
    }),
  );
  return { status: Number(statusLine.split(' ')[1]), headers, body };
};

/** Checks an answer is the error envelope with the request id of its header. */
const expectEnvelope = async (response: Response, status: number, code: string) => {
  expect(response.status).toBe(status);
  const body = ErrorEnvelope.parse(await response.json());
  expect(body.error.code).toBe(code);
  expect(body.request_id).toBe(response.headers.get('x-request-id'));
  expect(body.request_id).toMatch(/^req_/);
  return body;
};

/** A multipart form cut off before its closing boundary: the body ends where its declared length says. */
const truncatedForm = (path: string, headers = '') => {
  const part =
    '--XX\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\nhello';
  return (
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}Content-Type: multipart/form-data; boundary=XX\r\n` +
    `Content-Length: ${part.length}\r\nConnection: close\r\n\r\n${part}`
  );
};

describe('the process does not die', () => {
  it('answers a multipart form that ends before its closing boundary with 400, on both upload routes', async () => {
    const { url } = await useServer();
    const secret = await createSecret(url);
    const direct = parseRaw(
      await raw(url, truncatedForm('/chatkit/attachments', `Authorization: Bearer ${secret}\r\n`)),
    );
    expect(direct.status).toBe(400);
    expect(JSON.parse(direct.body).error.message).toBe('The multipart form could not be read.');

    const created = await chatkit(url, secret, {
      type: 'attachments.create',
      params: { name: 'a.png', size: 100, mime_type: 'image/png' },
    });
    const uploadUrl = new URL(
      ((await created.json()) as { upload_descriptor: { url: string } }).upload_descriptor.url,
    );
    const signed = parseRaw(await raw(url, truncatedForm(`${uploadUrl.pathname}${uploadUrl.search}`)));
    expect(signed.status).toBe(400);
    expect(signed.headers['x-request-id']).toMatch(/^req_/);
    expect((await fetch(`${url}/health`)).status).toBe(200);
  });

  it('answers a WebSocket message nested 5,000 levels deep with an error and keeps the socket', async () => {
    const { url } = await useServer();
    const secret = await createSecret(url);
    const socket = new WebSocket(`${url.replace('http', 'ws')}/ws/chat?access_token=${secret}`);
    const messages: { type: string; data?: { code?: string; message?: string } }[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(data.toString())));
    await once(socket, 'open');
    const deep = `{"type":"ping","data":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;
    socket.send(deep);
    socket.send('{"type":"ping","data":{"n":1}}');
    await expect.poll(() => messages.map((m) => m.type)).toEqual(['session_start', 'error', 'pong']);
    expect(messages[1]?.data).toEqual({
      code: 'VALIDATION_ERROR',
      message: 'The message nests deeper than 64 levels.',
    });
    socket.close();
    expect((await fetch(`${url}/health`)).status).toBe(200);
  });

  it('answers a JSON body nested 5,000 levels deep with 400', async () => {
    const { url } = await useServer();
    const response = await fetch(`${url}/api/chatkit/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"ttl_seconds":${'['.repeat(5000)}${']'.repeat(5000)}}`,
    });
    const body = await expectEnvelope(response, 400, 'BAD_REQUEST');
    expect(body.error.message).toBe('Request body nests deeper than 64 levels.');
  });
});

describe('every answer is enveloped, with its request id', () => {
  it.each([
    '/api/chat/responses/%ZZ/cancel',
    '/widget/%ZZ/x.js',
    '/chatkit/attachments/%ZZ/preview',
    '/api/chat/responses/%/cancel',
    '/api/chat/responses/%C0%AF/cancel',
    '/api/chat/responses/%FF/cancel',
  ])('answers the malformed path %s with 400 on GET and POST', async (path) => {
    const { url } = await useServer();
    for (const method of ['GET', 'POST']) {
      await expectEnvelope(await fetch(`${url}${path}`, { method }), 400, 'BAD_REQUEST');
    }
  });

  it.each([
    ['a 70 KB query', `GET /health?q=${'a'.repeat(70_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431],
    [
      'a raw 0xFF byte in the path',
      Buffer.concat([
        Buffer.from('GET /he'),
        Buffer.from([0xff]),
        Buffer.from('alth HTTP/1.1\r\nHost: x\r\n\r\n'),
      ]),
      400,
    ],
    [
      'a raw 0xFF byte in a header name',
      Buffer.concat([
        Buffer.from('GET /health HTTP/1.1\r\nHost: x\r\nX-'),
        Buffer.from([0xff]),
        Buffer.from(': 1\r\n\r\n'),
      ]),
      400,
    ],
    [
      'a duplicate Content-Length',
      'POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}',
      400,
    ],
    [
      'Content-Length with Transfer-Encoding',
      'POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      400,
    ],
  ])('answers %s that the HTTP parser refuses in the envelope and closes', async (_name, request, status) => {
    const { url } = await useServer();
    const answer = parseRaw(await raw(url, request));
    expect(answer.status).toBe(status);
    expect(answer.headers.connection).toBe('close');
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = ErrorEnvelope.parse(JSON.parse(answer.body));
    expect(body.request_id).toBe(answer.headers['x-request-id']);
    expect(body.error.code).toBe('BAD_REQUEST');
  });

  it('refuses Content-Length: 5000000000 at once with 413, with or without credentials', async () => {
    const { url } = await useServer();
    const secret = await createSecret(url);
    for (const [path, headers] of [
      ['/api/chat', 'Content-Type: application/json\r\n'],
      ['/api/chat', `Content-Type: application/json\r\nAuthorization: Bearer ${secret}\r\n`],
      [
        '/chatkit/attachments',
        `Content-Type: multipart/form-data; boundary=x\r\nAuthorization: Bearer ${secret}\r\n`,
      ],
    ]) {
      const answer = parseRaw(
        await raw(
          url,
          `POST ${path} HTTP/1.1\r\nHost: x\r\n${headers}Content-Length: 5000000000\r\n\r\n`,
          2_000,
        ),
      );
      expect(answer.status).toBe(413);
      expect(answer.headers.connection).toBe('close');
      expect(JSON.parse(answer.body).error.code).toBe('PAYLOAD_TOO_LARGE');
    }
  });

  it('takes an optional JSON object only at POST /api/chatkit/session', async () => {
    const { url } = await useServer();
    const array = await fetch(`${url}/api/chatkit/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[]',
    });
    const body = await expectEnvelope(array, 422, 'VALIDATION_ERROR');
    expect(body.error.message).toContain('body');
    const form = new FormData();
    form.set('user', 'x');
    await expectEnvelope(
      await fetch(`${url}/api/chatkit/session`, { method: 'POST', body: form }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expect((await fetch(`${url}/api/chatkit/session`, { method: 'POST' })).status).toBe(200);
    const empty = await fetch(`${url}/api/chatkit/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(empty.status).toBe(200);
  });

  it('closes the connection after the last frame of a streamed reply when the client asked to', async () => {
    const { url } = await useServer();
    const secret = await createSecret(url);
    const body = JSON.stringify({ message: 'Hello' });
    const answer = await raw(
      url,
      `POST /api/chat/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${secret}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    const { status, headers } = parseRaw(answer);
    expect(status).toBe(200);
    expect(headers.connection).toBe('close');
    expect(answer).toContain('"type":"done"');
  });
});

describe('credentials', () => {
  const keys = {
    voice: 'voice-key-0123456789abcdef',
    chat: 'chat-key-0123456789abcdef',
    backend: 'backend-key-0123456789abcdef',
  };
  const apiKeys = `voice-only:voice:${keys.voice},chat-only:chat:${keys.chat},backend:chat+act_as_user:${keys.backend}`;

  it('keeps a key scoped only to voice out of ChatKit, the chat doors and /ws/chat', async () => {
    const { url } = await useServer({ env: { API_KEYS: apiKeys } });
    const headers = { authorization: `Bearer ${keys.voice}`, 'content-type': 'application/json' };
    await expectEnvelope(
      await fetch(`${url}/chatkit`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ type: 'threads.list', params: {} }),
      }),
      403,
      'FORBIDDEN',
    );
    await expectEnvelope(
      await fetch(`${url}/api/chat`, { method: 'POST', headers, body: JSON.stringify({ message: 'hi' }) }),
      403,
      'FORBIDDEN',
    );
    const socket = new WebSocket(`${url.replace('http', 'ws')}/ws/chat`, {
      headers: { 'x-api-key': keys.voice },
    });
    const [, response] = (await once(socket, 'unexpected-response')) as [unknown, { statusCode: number }];
    expect(response.statusCode).toBe(403);
  });

  it('lets only a key with act_as_user act for another user', async () => {
    const { url } = await useServer({ env: { API_KEYS: apiKeys } });
    const list = (key: string) =>
      fetch(`${url}/chatkit`, {
        method: 'POST',
        headers: { 'x-api-key': key, 'x-cartrita-user': 'alice', 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'threads.list', params: {} }),
      });
    const refused = await expectEnvelope(await list(keys.chat), 403, 'FORBIDDEN');
    expect(refused.error.details?.required_scope).toBe('act_as_user');
    expect((await list(keys.backend)).status).toBe(200);
    const session = await fetch(`${url}/api/chatkit/session`, {
      method: 'POST',
      headers: { 'x-api-key': keys.chat, 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'alice' }),
    });
    await expectEnvelope(session, 403, 'FORBIDDEN');
  });

  it('keeps the open routes open whatever credential a request carries', async () => {
    const { url } = await useServer({ env: { API_KEY_SECRET: 'a-known-signing-secret-for-tests' } });
    const secret = await createSecret(url);
    const created = await chatkit(url, secret, {
      type: 'attachments.create',
      params: { name: 'dot.png', size: png.length, mime_type: 'image/png' },
    });
    const { upload_descriptor } = (await created.json()) as { upload_descriptor: { url: string } };
    const form = new FormData();
    form.set('file', new Blob([png], { type: 'image/png' }), 'dot.png');
    const { preview_url } = (await (
      await fetch(upload_descriptor.url, { method: 'POST', body: form })
    ).json()) as {
      preview_url: string;
    };
    const expired = await signClientSecret(
      { sessionId: 'sess_x', userId: 'usr_x', expiresAt: new Date(Date.now() - 1000) },
      'a-known-signing-secret-for-tests',
    );
    const credentials = [
      'Basic dXNlcjpwYXNz',
      'Bearer garbage',
      `Bearer ${expired}`,
      'Bearer not-a-key-but-long-enough',
    ];
    const open: [string, string][] = [
      ['GET', '/health'],
      ['GET', '/api/health'],
      ['GET', '/'],
      ['GET', '/docs'],
      ['GET', '/openapi.json'],
      ['GET', '/demo.js'],
      ['GET', '/widget/latest/cartrita-chat.js'],
      ['POST', '/api/chatkit/session'],
      ['GET', preview_url.replace(url, '')],
    ];
    for (const authorization of credentials) {
      for (const [method, path] of open) {
        const response = await fetch(`${url}${path}`, { method, headers: { authorization } });
        expect(response.status, `${method} ${path} with ${authorization.slice(0, 12)}`).toBe(200);
        await response.arrayBuffer();
      }
    }
  });

  it('answers 429 to guessed keys once the address spent its budget of failures, with Retry-After', async () => {
    const { url, apiKey } = await useServer({ env: { AUTH_FAILURES_PER_MINUTE: '3' } });
    const guess = (key: string) =>
      fetch(`${url}/chatkit`, {
        method: 'POST',
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'threads.list', params: {} }),
      });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await guess(`guessed-key-number-${i}-xxxx`)).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const limited = await guess(apiKey);
    await expectEnvelope(limited, 429, 'RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await fetch(`${url}/health`, { headers: { 'x-api-key': 'another-guess-0000000' } })).status).toBe(
      200,
    );
  });

  it('answers 429, not 401, to a guessed key from an address over its request limit', async () => {
    const { url } = await useServer({ env: { RATE_LIMIT_PER_MINUTE: '2' } });
    await fetch(`${url}/openapi.json`);
    await fetch(`${url}/openapi.json`);
    const guessed = await fetch(`${url}/chatkit`, {
      method: 'POST',
      headers: { 'x-api-key': 'guessed-key-0000000000', 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'threads.list', params: {} }),
    });
    await expectEnvelope(guessed, 429, 'RATE_LIMITED');
    expect(guessed.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('keeps credentials in unexpected URL places out of the log', async () => {
    const logFile = join(tmpdir(), `cartrita-log-${randomBytes(6).toString('hex')}.log`);
    onTestFinished(() => rm(logFile, { force: true }));
    const server = await useServer({ env: { LOG_LEVEL: 'info', LOG_FILE: logFile } });
    const { url, apiKey } = server;
    const secret = await createSecret(url);
    const planted = [
      'hunter2-password-value',
      'key-value-0000000000',
      'apikey-value-000000000',
      'session-token-value-00',
      'matrix-token-value-000',
      apiKey,
      secret,
    ];
    const paths = [
      `/health?key=${planted[1]}&apikey=${planted[2]}`,
      `/health?password=${planted[0]}`,
      `/health?session_token=${planted[3]}`,
      `/api/chat/responses/x;access_token=${planted[4]}/cancel`,
      `/api/chat/responses/${apiKey}/cancel`,
      `/nowhere/${encodeURIComponent(secret)}?q=1`,
      `/health?x=${encodeURIComponent(`Bearer ${secret}`)}`,
    ];
    for (const path of paths) await (await fetch(`${url}${path}`)).arrayBuffer();
    await server.close();
    const log = await readFile(logFile, 'utf8');
    expect(log).toContain('/health?key=[REDACTED]&apikey=[REDACTED]');
    expect(log).toContain(';access_token=[REDACTED]');
    for (const value of planted) expect(log).not.toContain(value);
  });

  it('refuses HTML bytes sent as image/png with 415, directly and through a signed upload URL', async () => {
    const { url } = await useServer();
    const secret = await createSecret(url);
    const form = (bytes: Buffer, type: string, name = 'x.png') => {
      const body = new FormData();
      body.set('file', new Blob([new Uint8Array(bytes)], { type }), name);
      return body;
    };
    const direct = await fetch(`${url}/chatkit/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}` },
      body: form(html, 'image/png'),
    });
    const refused = await expectEnvelope(direct, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(refused.error.details).toEqual({ declared: 'image/png', detected: null });
    const created = await chatkit(url, secret, {
      type: 'attachments.create',
      params: { name: 'x.png', size: html.length, mime_type: 'image/png' },
    });
    const { upload_descriptor } = (await created.json()) as { upload_descriptor: { url: string } };
    await expectEnvelope(
      await fetch(upload_descriptor.url, { method: 'POST', body: form(html, 'image/png') }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    const real = await fetch(`${url}/chatkit/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}` },
      body: form(png, 'image/png'),
    });
    expect(real.status).toBe(200);
    const text = await fetch(`${url}/chatkit/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}` },
      body: form(Buffer.from('plain words, ünïcode'), 'text/plain; charset=utf-8', 'a.txt'),
    });
    expect(text.status).toBe(200);
    const binaryAsText = await fetch(`${url}/chatkit/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}` },
      body: form(png, 'text/plain', 'a.txt'),
    });
    const body = await expectEnvelope(binaryAsText, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(body.error.message).toBe('The file is declared as text/plain but its bytes are image/png.');
    const sent = await chatkit(url, secret, {
      type: 'threads.create',
      params: { input: input('still fine') },
    });
    expect(sent.status).toBe(200);
    await sent.text();
  });
});
