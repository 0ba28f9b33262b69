import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, expect, it } from 'vitest';
import { errorHandler } from '../error-handler/index.js';
import { requestId } from './index.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

const serve = async (app: express.Express): Promise<string> => {
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const echoApp = (options?: Parameters<typeof requestId>[0]) => {
  const app = express();
  app.use(requestId(options));
  app.get('/', (req, res) => {
    res.json({ id: req.id, local: res.locals.requestId });
  });
  app.get('/boom', () => {
    throw new Error('boom');
  });
  app.use(errorHandler({ logger: { error: () => {}, warn: () => {}, debug: () => {} } }));
  return app;
};

it('generates req_ and 12 hex characters when no id is sent', async () => {
  const url = await serve(echoApp());
  const response = await fetch(url);
  const id = response.headers.get('x-request-id');
  expect(id).toMatch(/^req_[0-9a-f]{12}$/);
  expect(await response.json()).toEqual({ id, local: id });
});

it('reuses a safe incoming X-Request-Id', async () => {
  const url = await serve(echoApp());
  const response = await fetch(url, { headers: { 'X-Request-Id': 'trace-42.abc:1' } });
  expect(response.headers.get('x-request-id')).toBe('trace-42.abc:1');
  expect(((await response.json()) as { id: string }).id).toBe('trace-42.abc:1');
});

it('replaces an incoming id that is too long or has unsafe characters', async () => {
  const url = await serve(echoApp());
  for (const unsafe of ['a'.repeat(65), 'id with spaces', '<script>', 'x"y']) {
    const response = await fetch(url, { headers: { 'X-Request-Id': unsafe } });
    expect(response.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{12}$/);
  }
});

it('ignores incoming ids when trustIncoming is false', async () => {
  const url = await serve(echoApp({ trustIncoming: false }));
  const response = await fetch(url, { headers: { 'X-Request-Id': 'mine' } });
  expect(response.headers.get('x-request-id')).not.toBe('mine');
});

it('puts the same id in the error envelope as in the header', async () => {
  const url = await serve(echoApp());
  const response = await fetch(`${url}/boom`);
  expect(response.status).toBe(500);
  const body = (await response.json()) as { request_id: string };
  expect(body.request_id).toBe(response.headers.get('x-request-id'));
});

it('rejects invalid options when the factory is called', () => {
  expect(() => requestId({ header: 'bad header' })).toThrow(TypeError);
  expect(() => requestId({ generate: 'x' as unknown as () => string })).toThrow(TypeError);
});

it('returns a named middleware function', () => {
  expect(requestId().name).toBe('requestId');
});
