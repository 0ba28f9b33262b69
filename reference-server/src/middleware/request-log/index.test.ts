import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, expect, it } from 'vitest';
import { requestId } from '../request-id/index.js';
import { requestLog } from './index.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

const serve = async () => {
  const lines: { level: string; fields: Record<string, unknown> }[] = [];
  const logger = {
    info: (fields: Record<string, unknown>) => lines.push({ level: 'info', fields }),
    warn: (fields: Record<string, unknown>) => lines.push({ level: 'warn', fields }),
  };
  const app = express();
  app.use(requestId());
  app.use(requestLog({ logger: logger as never, skip: (req) => req.path === '/health' }));
  app.get('/ok', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/fail', (_req, res) => {
    res.status(503).json({});
  });
  app.get('/health', (_req, res) => {
    res.json({});
  });
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  const finished = async (count: number) => {
    for (let i = 0; i < 50 && lines.length < count; i++) await new Promise((done) => setTimeout(done, 10));
    return lines;
  };
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, finished };
};

it('logs one line per request with status, duration, id and a redacted URL, never headers', async () => {
  const { url, finished } = await serve();
  const response = await fetch(`${url}/ok?access_token=cks_private`, {
    headers: { Authorization: 'Bearer x' },
  });
  await response.text();
  const [line] = await finished(1);
  expect(line?.level).toBe('info');
  expect(line?.fields).toMatchObject({
    status: 200,
    req: { id: response.headers.get('x-request-id'), method: 'GET', url: '/ok?access_token=[REDACTED]' },
  });
  expect(typeof line?.fields.durationMs).toBe('number');
  expect(JSON.stringify(line)).not.toMatch(/cks_private|Bearer/);
});

it('logs server errors at warn and skips what skip selects', async () => {
  const { url, finished } = await serve();
  await (await fetch(`${url}/health`)).text();
  await (await fetch(`${url}/fail`)).text();
  const lines = await finished(1);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ level: 'warn', fields: { status: 503 } });
});

it('requires a logger when the factory is called', () => {
  expect(() => requestLog({} as never)).toThrow(TypeError);
  expect(requestLog({ logger: { info: () => {}, warn: () => {} } as never }).name).toBe('requestLog');
});
