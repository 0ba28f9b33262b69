import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import express from 'express';
import { afterEach, expect, it } from 'vitest';
import { errorHandler } from '../error-handler/index.js';
import { requestId } from '../request-id/index.js';
import { hostHeader } from './index.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

const serve = async (): Promise<number> => {
  const app = express();
  app.use(requestId());
  app.use(hostHeader());
  app.get('/', (_req, res) => {
    res.json({ ok: true });
  });
  app.use(errorHandler({ logger: { error: () => {}, warn: () => {}, debug: () => {} } }));
  const server = createServer({ requireHostHeader: false }, app).listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
};

const raw = (port: number, request: string) =>
  new Promise<string>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (data) => {
      received += data.toString();
    });
    socket.on('close', () => resolve(received));
    socket.end(request);
  });

it('answers an HTTP/1.1 request without Host with 400 in the envelope', async () => {
  const port = await serve();
  const answer = await raw(port, 'GET / HTTP/1.1\r\nConnection: close\r\n\r\n');
  expect(answer).toMatch(/^HTTP\/1\.1 400 /);
  expect(answer).toMatch(/X-Request-Id: req_/i);
  expect(answer).toContain('"message":"An HTTP/1.1 request needs a Host header."');
});

it('passes HTTP/1.1 with Host, and HTTP/1.0 without it', async () => {
  const port = await serve();
  expect(await raw(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(
    /^HTTP\/1\.1 200 /,
  );
  expect(await raw(port, 'GET / HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.1 200 /);
});
