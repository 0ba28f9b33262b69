import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, expect, it } from 'vitest';
import { errorHandler } from '../error-handler/index.js';
import { requestId } from '../request-id/index.js';
import { pathEncoding } from './index.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

const serve = async (): Promise<string> => {
  const app = express();
  app.use(requestId());
  app.use(pathEncoding());
  app.get('/items/:id', (req, res) => {
    res.json({ id: req.params.id });
  });
  app.use(errorHandler({ logger: { error: () => {}, warn: () => {}, debug: () => {} } }));
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

it.each(['%ZZ', '%', '%C0%AF', '%FF', 'a%2', '%E2%82'])('answers the path /items/%s with 400', async (id) => {
  const url = await serve();
  const response = await fetch(`${url}/items/${id}`);
  expect(response.status).toBe(400);
  const body = (await response.json()) as { error: { code: string; message: string }; request_id: string };
  expect(body.error.code).toBe('BAD_REQUEST');
  expect(body.error.message).toContain('malformed percent-encoding');
  expect(body.request_id).toBe(response.headers.get('x-request-id'));
});

it('passes paths whose escapes decode, with the parameter decoded', async () => {
  const url = await serve();
  const response = await fetch(`${url}/items/caf%C3%A9%20%2F%25`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ id: 'café /%' });
});
