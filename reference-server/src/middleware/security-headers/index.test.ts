import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, expect, it } from 'vitest';
import { type SecurityHeadersOptions, securityHeaders } from './index.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

const get = async (options?: SecurityHeadersOptions): Promise<Response> => {
  const app = express();
  app.use(securityHeaders(options));
  app.get('/', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/page', (_req, res) => {
    res.setHeader('Content-Security-Policy', "default-src 'self'");
    res.type('html').send('<p>hi</p>');
  });
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  return fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
};

it('sets nosniff, no-referrer, DENY framing, a strict CSP and same-origin CORP by default', async () => {
  const response = await get();
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  expect(response.headers.get('x-frame-options')).toBe('DENY');
  expect(response.headers.get('content-security-policy')).toBe(
    "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  );
  expect(response.headers.get('cross-origin-resource-policy')).toBe('same-origin');
  expect(response.headers.get('x-powered-by')).toBeNull();
  expect(response.headers.get('strict-transport-security')).toBeNull();
});

it('allows framing when frameOptions is false and follows it in frame-ancestors', async () => {
  const open = await get({ frameOptions: false });
  expect(open.headers.get('x-frame-options')).toBeNull();
  expect(open.headers.get('content-security-policy')).not.toContain('frame-ancestors');
  const same = await get({ frameOptions: 'SAMEORIGIN' });
  expect(same.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  expect(same.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
});

it('takes a custom CSP, CORP and HSTS, or none', async () => {
  const response = await get({
    contentSecurityPolicy: "default-src 'self'",
    crossOriginResourcePolicy: 'cross-origin',
    strictTransportSecurity: 'max-age=31536000',
  });
  expect(response.headers.get('content-security-policy')).toBe("default-src 'self'");
  expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
  expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000');
  const bare = await get({ contentSecurityPolicy: false, crossOriginResourcePolicy: false });
  expect(bare.headers.get('content-security-policy')).toBeNull();
  expect(bare.headers.get('cross-origin-resource-policy')).toBeNull();
});

it('lets a route replace the CSP for an HTML page', async () => {
  const first = await get();
  const page = await fetch(first.url.replace(/\/$/, '/page'));
  expect(page.headers.get('content-security-policy')).toBe("default-src 'self'");
  expect(page.headers.get('x-content-type-options')).toBe('nosniff');
});

it('rejects invalid options when the factory is called', () => {
  expect(() => securityHeaders({ frameOptions: 'ALLOW' as 'DENY' })).toThrow(TypeError);
  expect(() => securityHeaders({ crossOriginResourcePolicy: 'anyone' as 'same-site' })).toThrow(TypeError);
  expect(() => securityHeaders({ contentSecurityPolicy: "default-src 'none'\r\nX-Evil: 1" })).toThrow(
    TypeError,
  );
  expect(securityHeaders().name).toBe('securityHeaders');
});
