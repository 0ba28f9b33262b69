import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, expect, it } from 'vitest';
import { errorHandler } from '../error-handler/index.js';
import { requestId } from '../request-id/index.js';
import { cors } from './index.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

const serve = async (origins: string[]): Promise<string> => {
  const app = express();
  app.use(requestId());
  app.use(cors({ origins, maxAge: 300 }));
  app.get('/api/thing', (_req, res) => {
    res.json({ ok: true });
  });
  app.use(errorHandler({ logger: { error: () => {}, warn: () => {}, debug: () => {} } }));
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const preflight = (url: string, origin: string) =>
  fetch(`${url}/api/thing`, {
    method: 'OPTIONS',
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'content-type, authorization',
    },
  });

it('echoes an allowed origin with credentials and exposed headers', async () => {
  const url = await serve(['https://app.example']);
  const response = await fetch(`${url}/api/thing`, { headers: { Origin: 'https://app.example' } });
  expect(response.status).toBe(200);
  expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example');
  expect(response.headers.get('access-control-allow-credentials')).toBe('true');
  expect(response.headers.get('access-control-expose-headers')).toBe(
    'X-Request-Id, X-Trace-Id, Retry-After, retry-after-ms',
  );
  expect(response.headers.get('vary')).toMatch(/Origin/);
});

it('answers a preflight from an allowed origin with 204 and the allowed methods and headers', async () => {
  const url = await serve(['https://app.example']);
  const response = await preflight(url, 'https://app.example');
  expect(response.status).toBe(204);
  expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example');
  expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST, PUT, DELETE, OPTIONS');
  const allowed = response.headers.get('access-control-allow-headers')?.split(', ');
  expect(allowed).toEqual([
    'Content-Type',
    'Accept',
    'Accept-Language',
    'Authorization',
    'X-API-Key',
    'X-Session-Token',
    'Last-Event-ID',
    'Idempotency-Key',
    'chatkit-frame-instance-id',
    'x-cartrita-retry-count',
  ]);
  expect(response.headers.get('access-control-max-age')).toBe('300');
  expect(response.headers.get('access-control-allow-credentials')).toBe('true');
});

it('sends no CORS headers to a disallowed origin', async () => {
  const url = await serve(['https://app.example']);
  const response = await fetch(`${url}/api/thing`, { headers: { Origin: 'https://evil.example' } });
  expect(response.status).toBe(200);
  expect(response.headers.get('access-control-allow-origin')).toBeNull();
  expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  expect(response.headers.get('vary')).toMatch(/Origin/);
});

it('refuses a preflight from a disallowed origin with a 403 envelope', async () => {
  const url = await serve(['https://app.example']);
  const response = await preflight(url, 'https://evil.example');
  expect(response.status).toBe(403);
  expect(response.headers.get('access-control-allow-origin')).toBeNull();
  const body = (await response.json()) as { error: { code: string; message: string }; request_id: string };
  expect(body.error.code).toBe('FORBIDDEN');
  expect(body.error.message).toContain('https://evil.example');
  expect(body.request_id).toBe(response.headers.get('x-request-id'));
});

it('does not treat a look-alike origin as allowed', async () => {
  const url = await serve(['https://app.example']);
  for (const origin of [
    'https://app.example.evil.test',
    'http://app.example',
    'https://app.example:8443',
    'null',
  ]) {
    const response = await fetch(`${url}/api/thing`, { headers: { Origin: origin } });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  }
});

it('allows any origin without credentials when the list holds *', async () => {
  const url = await serve(['*']);
  const response = await fetch(`${url}/api/thing`, { headers: { Origin: 'https://anyone.example' } });
  expect(response.headers.get('access-control-allow-origin')).toBe('*');
  expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  const answer = await preflight(url, 'https://anyone.example');
  expect(answer.status).toBe(204);
  expect(answer.headers.get('access-control-allow-origin')).toBe('*');
});

it('keeps credentials for an origin listed next to *', async () => {
  const url = await serve(['*', 'https://app.example']);
  const response = await fetch(`${url}/api/thing`, { headers: { Origin: 'https://app.example' } });
  expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example');
  expect(response.headers.get('access-control-allow-credentials')).toBe('true');
});

it('passes requests without an Origin header untouched', async () => {
  const url = await serve(['https://app.example']);
  const response = await fetch(`${url}/api/thing`);
  expect(response.status).toBe(200);
  expect(response.headers.get('access-control-allow-origin')).toBeNull();
});

it('rejects an origin list that holds something other than origins', () => {
  expect(() => cors({ origins: ['not a url'] })).toThrow(TypeError);
  expect(() => cors({ origins: 'https://a.example' as unknown as string[] })).toThrow(TypeError);
  expect(() => cors({ origins: [], maxAge: -1 })).toThrow(TypeError);
  expect(cors({ origins: [] }).name).toBe('cors');
});
