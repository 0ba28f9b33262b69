import { once } from 'node:events';
import type { Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import express from 'express';
import { afterEach, expect, it } from 'vitest';
import { errorHandler } from '../error-handler/index.js';
import { requestId } from '../request-id/index.js';
import { declaredLength, type JsonBodyOptions, jsonBody, multipartBody } from './index.js';

interface Envelope {
  error: { code: string; type: string; message: string; details: Record<string, unknown> };
  request_id: string;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

const serve = async (options?: JsonBodyOptions): Promise<string> => {
  const app = express();
  app.use(requestId());
  app.use(jsonBody({ skip: (req) => req.path !== '/echo' && req.path !== '/upload', ...options }));
  app.post('/echo', (req, res) => {
    res.json({ body: req.body ?? null });
  });
  app.put('/echo', (req, res) => {
    res.json({ body: req.body ?? null });
  });
  app.post('/upload', (req, res) => {
    res.json({ type: req.get('content-type'), body: req.body ?? null });
  });
  app.post('/form', multipartBody({ limit: '2kb' }), (req, res) => {
    req.resume();
    res.json({ type: req.get('content-type') });
  });
  app.post('/nobody', declaredLength({ limit: 100 }), (req, res) => {
    req.resume();
    res.json({ ok: true });
  });
  app.use(errorHandler({ logger: { error: () => {}, warn: () => {}, debug: () => {} } }));
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const post = (url: string, body: string, type?: string, method = 'POST') =>
  fetch(`${url}/echo`, { method, body, headers: type === undefined ? {} : { 'Content-Type': type } });

it('parses a JSON body into req.body', async () => {
  const url = await serve();
  const response = await post(url, '{"message":"hi","n":[1,2]}', 'application/json');
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ body: { message: 'hi', n: [1, 2] } });
});

it('accepts +json content types and a charset parameter', async () => {
  const url = await serve();
  const response = await post(url, '{"a":1}', 'application/merge-patch+json; charset=utf-8', 'PUT');
  expect(await response.json()).toEqual({ body: { a: 1 } });
});

it('passes a POST without a body with req.body undefined', async () => {
  const url = await serve();
  const response = await fetch(`${url}/echo`, { method: 'POST' });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ body: null });
});

it('answers malformed JSON with 400 BAD_REQUEST naming the position', async () => {
  const url = await serve();
  const response = await post(url, '{"message": "hi",}', 'application/json');
  expect(response.status).toBe(400);
  const body = (await response.json()) as Envelope;
  expect(body.error.code).toBe('BAD_REQUEST');
  expect(body.error.type).toBe('BadRequestError');
  expect(body.error.message).toMatch(/^Request body is not valid JSON \(at position 17\)/);
  expect(body.error.details.position).toBe(17);
  expect(body.request_id).toMatch(/^req_/);
});

it('answers a JSON body that is not an object or array with 400', async () => {
  const url = await serve();
  const response = await post(url, '"just a string"', 'application/json');
  expect(response.status).toBe(400);
  expect(((await response.json()) as Envelope).error.message).toContain('not valid JSON');
});

it('answers a body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
  const url = await serve({ limit: '1kb' });
  const response = await post(url, JSON.stringify({ text: 'x'.repeat(2000) }), 'application/json');
  expect(response.status).toBe(413);
  const body = (await response.json()) as Envelope;
  expect(body.error.code).toBe('PAYLOAD_TOO_LARGE');
  expect(body.error.message).toBe('Request body is larger than the 1kb limit');
  expect(body.error.details.limit).toBe(1024);
});

it('answers a chunked body over the limit with 413 too', async () => {
  const url = await serve({ limit: 100 });
  const chunks = new ReadableStream({
    start(controller) {
      for (let i = 0; i < 10; i++)
        controller.enqueue(new TextEncoder().encode(`{"pad":"${'y'.repeat(50)}"}`));
      controller.close();
    },
  });
  const response = await fetch(`${url}/echo`, {
    method: 'POST',
    body: chunks,
    headers: { 'Content-Type': 'application/json' },
    duplex: 'half',
  } as RequestInit);
  expect(response.status).toBe(413);
  expect(((await response.json()) as Envelope).error.message).toContain('100 bytes');
});

it('answers a POST whose body is not JSON with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
  const url = await serve();
  const response = await post(url, 'message=hi', 'application/x-www-form-urlencoded');
  expect(response.status).toBe(415);
  const body = (await response.json()) as Envelope;
  expect(body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  expect(body.error.message).toBe(
    'Content-Type must be application/json (got application/x-www-form-urlencoded)',
  );
});

it('answers a PUT with a text/plain body with 415', async () => {
  const url = await serve();
  const response = await post(url, '{"a":1}', 'text/plain', 'PUT');
  expect(response.status).toBe(415);
  expect(((await response.json()) as Envelope).error.message).toContain('(got text/plain)');
});

it('answers an unsupported charset with 415', async () => {
  const url = await serve();
  const response = await post(url, '{"a":1}', 'application/json; charset=latin1');
  expect(response.status).toBe(415);
  expect(((await response.json()) as Envelope).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
});

it('leaves requests alone that skip selects, such as multipart uploads', async () => {
  const url = await serve({ skip: (req) => req.path === '/upload' });
  const form = new FormData();
  form.set('file', new Blob(['hello'], { type: 'text/plain' }), 'hello.txt');
  const response = await fetch(`${url}/upload`, { method: 'POST', body: form });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { type: string; body: unknown };
  expect(body.type).toMatch(/^multipart\/form-data/);
  expect(body.body).toBeNull();
});

it('rejects an invalid limit when the factory is called', () => {
  expect(() => jsonBody({ limit: 'lots' })).toThrow(TypeError);
  expect(() => multipartBody({ limit: 'lots' })).toThrow(TypeError);
  expect(() => declaredLength({ limit: -1 })).toThrow(TypeError);
  expect(() => jsonBody({ skip: true as unknown as () => boolean })).toThrow(TypeError);
  expect(jsonBody().name).toBe('jsonBody');
});

/** Sends raw bytes and resolves everything the server wrote before it closed the connection. */
const raw = (url: string, request: string) =>
  new Promise<string>((resolve, reject) => {
    const { port } = new URL(url);
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    socket.on('data', (data) => {
      received += data.toString();
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
    socket.write(request);
  });

it('refuses a declared length over the limit at once with 413 and closes, without waiting for the body', async () => {
  const url = await serve({ limit: '1kb' });
  const answer = await raw(
    url,
    'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000000000\r\n\r\n{"a":',
  );
  expect(answer).toMatch(/^HTTP\/1\.1 413 /);
  expect(answer.toLowerCase()).toContain('connection: close');
  expect(answer.toLowerCase()).toMatch(/x-request-id: req_/);
  expect(answer).toContain('"code":"PAYLOAD_TOO_LARGE"');
});

it('refuses JSON nested deeper than the limit with 400 before parsing it', async () => {
  const url = await serve({ maxDepth: 8 });
  const deep = `${'['.repeat(9)}${']'.repeat(9)}`;
  const refused = await post(url, deep, 'application/json');
  expect(refused.status).toBe(400);
  const body = (await refused.json()) as Envelope;
  expect(body.error.message).toBe('Request body nests deeper than 8 levels.');
  expect(body.error.details.max_depth).toBe(8);
  const fine = await post(
    url,
    `{"a":"${'['.repeat(20)}","b":${'['.repeat(7)}${']'.repeat(7)}}`,
    'application/json',
  );
  expect(fine.status).toBe(200);
});

it('answers a compressed JSON body with 415', async () => {
  const url = await serve();
  const response = await fetch(`${url}/echo`, {
    method: 'POST',
    body: '{"a":1}',
    headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
  });
  expect(response.status).toBe(415);
  expect(((await response.json()) as Envelope).error.message).toBe(
    'Unsupported request body content encoding "gzip"',
  );
});

it('takes only multipart/form-data on a multipart route, and refuses a declared length over its limit', async () => {
  const url = await serve();
  const form = new FormData();
  form.set('file', new Blob(['hello'], { type: 'text/plain' }), 'hello.txt');
  expect((await fetch(`${url}/form`, { method: 'POST', body: form })).status).toBe(200);
  const json = await fetch(`${url}/form`, {
    method: 'POST',
    body: '{}',
    headers: { 'Content-Type': 'application/json' },
  });
  expect(json.status).toBe(415);
  expect(((await json.json()) as Envelope).error.message).toBe(
    'Content-Type must be multipart/form-data (got application/json)',
  );
  const big = await raw(
    url,
    'POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 4096\r\n\r\n',
  );
  expect(big).toMatch(/^HTTP\/1\.1 413 /);
});

it('refuses a declared length over the limit on a route that takes no body', async () => {
  const url = await serve();
  expect((await fetch(`${url}/nobody`, { method: 'POST', body: 'x'.repeat(50) })).status).toBe(200);
  const answer = await raw(url, 'POST /nobody HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n');
  expect(answer).toMatch(/^HTTP\/1\.1 413 /);
});
