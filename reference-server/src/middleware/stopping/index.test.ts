import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, expect, it } from 'vitest';
import { errorHandler } from '../error-handler/index.js';
import { stopping } from './index.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

it('passes requests through until the server stops, then answers 503 with Retry-After', async () => {
  let stoppingNow = false;
  const app = express();
  app.use(stopping({ isStopping: () => stoppingNow }));
  app.get('/x', (_req, res) => {
    res.json({ ok: true });
  });
  app.use(errorHandler({ logger: { error: () => {}, warn: () => {}, debug: () => {} } }));
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  expect(await (await fetch(`${url}/x`)).json()).toEqual({ ok: true });
  stoppingNow = true;
  const refused = await fetch(`${url}/x`);
  expect(refused.status).toBe(503);
  expect(refused.headers.get('retry-after')).toBe('5');
  expect(refused.headers.get('connection')).toBe('close');
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('SERVICE_UNAVAILABLE');
});

it('refuses options without an isStopping function', () => {
  expect(() => stopping({} as never)).toThrow('stopping: isStopping must be a function');
});

it('returns a named middleware function', () => {
  expect(stopping({ isStopping: () => false }).name).toBe('stopping');
});
