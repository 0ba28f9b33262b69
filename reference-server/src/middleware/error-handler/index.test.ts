import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, expect, it } from 'vitest';
import * as z from 'zod';
import * as zm from 'zod/mini';
import { HttpError } from '../../http-error.js';
import { requestId } from '../request-id/index.js';
import { errorHandler } from './index.js';

interface Envelope {
  error: { code: string; type: string; message: string; details: Record<string, unknown> };
  timestamp: string;
  request_id: string;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

const serve = async () => {
  const logged: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const logger = {
    error: (fields: Record<string, unknown>, message: string) =>
      logged.push({ level: 'error', fields, message }),
    warn: (fields: Record<string, unknown>, message: string) =>
      logged.push({ level: 'warn', fields, message }),
    debug: (fields: Record<string, unknown>, message: string) =>
      logged.push({ level: 'debug', fields, message }),
  };
  const app = express();
  app.use(requestId());
  app.get('/http-error', () => {
    throw new HttpError('CONFLICT', 'Persona per_1 is in use', {
      details: { persona_id: 'per_1' },
      headers: { 'X-Extra': 'yes' },
    });
  });
  app.get('/not-found', async () => {
    await Promise.resolve();
    throw HttpError.notFound('session', 'sess_123');
  });
  app.post('/zod', express.json(), async (req) => {
    z.object({ prompt: z.string(), options: z.object({ n: z.number() }) }).parse(req.body);
  });
  app.get('/zod-mini', () => {
    zm.parse(zm.object({ limit: zm.number() }), { limit: 'ten' });
  });
  app.get('/crash', async () => {
    throw new Error('database password is hunter2 at /srv/db.ts:12');
  });
  app.get('/reject', () => Promise.reject('a string'));
  app.get('/not-configured', () => {
    throw new HttpError('PROVIDER_NOT_CONFIGURED', 'The provider "x" is not configured on this server.');
  });
  app.get('/http-errors-style', (_req, _res, next) => {
    next(Object.assign(new Error('Range Not Satisfiable'), { status: 416, expose: true }));
  });
  app.get('/sse', (_req, res, next) => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream' });
    res.write('data: {"type":"chunk"}\n\n');
    setTimeout(() => next(new Error('provider died mid-stream')), 10);
  });
  app.use(errorHandler({ logger: logger as never }));
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, logged };
};

const json = async (response: Response) => (await response.json()) as Envelope;

it('answers an HttpError with its status, headers and the envelope', async () => {
  const { url } = await serve();
  const response = await fetch(`${url}/http-error`);
  expect(response.status).toBe(409);
  expect(response.headers.get('x-extra')).toBe('yes');
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = await json(response);
  expect(body).toEqual({
    error: {
      code: 'CONFLICT',
      type: 'ConflictError',
      message: 'Persona per_1 is in use',
      details: { persona_id: 'per_1' },
    },
    timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    request_id: response.headers.get('x-request-id'),
  });
});

it('answers an error thrown after an await in an async handler', async () => {
  const { url } = await serve();
  const response = await fetch(`${url}/not-found`);
  expect(response.status).toBe(404);
  const body = await json(response);
  expect(body.error).toMatchObject({ code: 'SESSION_NOT_FOUND', message: 'Session sess_123 does not exist' });
});

it('answers a zod error with 422 VALIDATION_ERROR and the failing fields', async () => {
  const { url } = await serve();
  const response = await fetch(`${url}/zod`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ options: { n: 'x' } }),
  });
  expect(response.status).toBe(422);
  const body = await json(response);
  expect(body.error.code).toBe('VALIDATION_ERROR');
  expect(body.error.message).toMatch(/^Request validation failed: prompt: .+ \(and 1 more\)$/);
  expect(body.error.details.fields).toEqual([
    { path: 'prompt', message: expect.any(String) },
    { path: 'options.n', message: expect.any(String) },
  ]);
});

it('answers a zod/mini error the same way', async () => {
  const { url } = await serve();
  const response = await fetch(`${url}/zod-mini`);
  expect(response.status).toBe(422);
  expect((await json(response)).error.details.fields).toEqual([
    { path: 'limit', message: expect.any(String) },
  ]);
});

it('answers an unexpected error with a generic 500 and logs it once with the request id', async () => {
  const { url, logged } = await serve();
  const response = await fetch(`${url}/crash`);
  expect(response.status).toBe(500);
  const text = await response.text();
  expect(text).not.toContain('hunter2');
  expect(text).not.toContain('db.ts');
  const body = JSON.parse(text) as Envelope;
  expect(body.error).toEqual({
    code: 'INTERNAL_ERROR',
    type: 'InternalError',
    message: 'An internal error occurred',
    details: {},
  });
  const errors = logged.filter((entry) => entry.level === 'error');
  expect(errors).toHaveLength(1);
  expect(errors[0]?.fields.requestId).toBe(body.request_id);
  expect((errors[0]?.fields.err as Error | undefined)?.message).toContain('hunter2');
});

it('logs a deliberate 5xx at warn without a stack, not as an error', async () => {
  const { url, logged } = await serve();
  const response = await fetch(`${url}/not-configured`);
  expect(response.status).toBe(503);
  expect((await json(response)).error.code).toBe('PROVIDER_NOT_CONFIGURED');
  expect(logged.filter((entry) => entry.level === 'error')).toHaveLength(0);
  const warned = logged.filter((entry) => entry.level === 'warn');
  expect(warned).toHaveLength(1);
  expect(warned[0]?.fields.code).toBe('PROVIDER_NOT_CONFIGURED');
  expect(warned[0]?.fields.err).toBeUndefined();
});

it('answers a rejected non-error value with a 500', async () => {
  const { url } = await serve();
  const response = await fetch(`${url}/reject`);
  expect(response.status).toBe(500);
  expect((await json(response)).error.code).toBe('INTERNAL_ERROR');
});

it('keeps the status and message of an exposed http-errors style error', async () => {
  const { url, logged } = await serve();
  const response = await fetch(`${url}/http-errors-style`);
  expect(response.status).toBe(416);
  expect((await json(response)).error.message).toBe('Range Not Satisfiable');
  expect(logged.filter((entry) => entry.level === 'error')).toHaveLength(0);
});

it('just ends a response whose headers were already sent', async () => {
  const { url, logged } = await serve();
  const response = await fetch(`${url}/sse`);
  expect(response.status).toBe(200);
  expect(await response.text()).toBe('data: {"type":"chunk"}\n\n');
  expect(logged.filter((entry) => entry.level === 'error')).toHaveLength(1);
});

it('makes a request id when no requestId middleware ran', async () => {
  const app = express();
  app.get('/', () => {
    throw HttpError.badRequest('nope');
  });
  app.use(errorHandler({ logger: { error: () => {}, warn: () => {}, debug: () => {} } }));
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  expect(response.status).toBe(400);
  const id = response.headers.get('x-request-id');
  expect(id).toMatch(/^req_/);
  expect((await json(response)).request_id).toBe(id);
});

it('rejects a logger without an error method when the factory is called', () => {
  expect(() => errorHandler({ logger: {} as never })).toThrow(TypeError);
  expect(errorHandler().name).toBe('errorHandler');
});
