import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, expect, it } from 'vitest';
import { errorHandler } from '../error-handler/index.js';
import { notFound } from './index.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

it('answers an unmatched route with 404 naming the method and path but not the query', async () => {
  const app = express();
  app.get('/known', (_req, res) => {
    res.json({});
  });
  app.use(notFound());
  app.use(errorHandler({ logger: { error: () => {}, warn: () => {}, debug: () => {} } }));
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const response = await fetch(`${url}/api/nothing/here?access_token=cks_secret`, { method: 'DELETE' });
  expect(response.status).toBe(404);
  const body = (await response.json()) as { error: { code: string; message: string; details: unknown } };
  expect(body.error).toEqual({
    code: 'NOT_FOUND',
    type: 'NotFoundError',
    message: 'No route for DELETE /api/nothing/here',
    details: { method: 'DELETE', path: '/api/nothing/here' },
  });
  expect(JSON.stringify(body)).not.toContain('cks_secret');
  expect((await fetch(`${url}/known`)).status).toBe(200);
});

it('returns a named middleware function', () => {
  expect(notFound().name).toBe('notFound');
});
