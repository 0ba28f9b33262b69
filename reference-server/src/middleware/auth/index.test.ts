import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, expect, it } from 'vitest';
import { parseApiKeys } from '../../auth/api-keys.js';
import { signClientSecret, verifyClientSecret } from '../../auth/client-secret.js';
import { errorHandler } from '../error-handler/index.js';
import { requestId } from '../request-id/index.js';
import { type AuthRequirement, authenticate, checkAuth, requireAuth, userIdOf } from './index.js';

interface Envelope {
  error: { code: string; type: string; message: string; details: Record<string, unknown> };
}

const signingSecret = 'a-test-signing-secret-of-some-length';
const adminKey = 'admin-secret-0123456789';
const chatKey = 'chat-secret-0123456789';
const apiKeys = parseApiKeys(
  `ops:admin:${adminKey},widget:chat+voice:${chatKey},bare::bare-secret-0123456789`,
);

const clientSecret = (expiresInMs = 60_000, secret = signingSecret) =>
  signClientSecret(
    { sessionId: 'sess_1', userId: 'usr_1', expiresAt: new Date(Date.now() + expiresInMs) },
    secret,
  );

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

const serve = async (): Promise<string> => {
  const app = express();
  app.use(requestId());
  app.use(authenticate({ apiKeys, verifyClientSecret: (token) => verifyClientSecret(token, signingSecret) }));
  const routes: [string, AuthRequirement][] = [
    ['/open', 'none'],
    ['/session', 'client_secret'],
    ['/keyed', 'api_key'],
    ['/chat', { scope: 'chat' }],
    ['/github', { scope: 'github' }],
  ];
  for (const [path, requirement] of routes) {
    const handler = (req: express.Request, res: express.Response) => {
      res.json({ auth: req.auth, user: userIdOf(req.auth) ?? null });
    };
    app.get(path, requireAuth(requirement), handler);
    app.post(path, requireAuth(requirement), handler);
  }
  app.use(errorHandler({ logger: { error: () => {}, debug: () => {} } }));
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const call = async (url: string, headers: Record<string, string> = {}, method = 'GET') => {
  const response = await fetch(url, { method, headers });
  return {
    response,
    body: (await response.json()) as Envelope & { auth: Record<string, unknown>; user: string },
  };
};

it('lets anonymous callers through routes that require nothing', async () => {
  const url = await serve();
  const { response, body } = await call(`${url}/open`);
  expect(response.status).toBe(200);
  expect(body.auth).toEqual({ kind: 'anonymous' });
});

it('answers 401 with WWW-Authenticate: Bearer when a route needs credentials and none came', async () => {
  const url = await serve();
  const { response, body } = await call(`${url}/session`);
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toBe('Bearer realm="cartrita"');
  expect(body.error.code).toBe('UNAUTHORIZED');
  expect(body.error.type).toBe('AuthenticationError');
});

it('accepts an API key as a Bearer token and as X-API-Key', async () => {
  const url = await serve();
  for (const headers of [{ Authorization: `Bearer ${chatKey}` }, { 'X-API-Key': chatKey }] as Record<
    string,
    string
  >[]) {
    const { response, body } = await call(`${url}/chat`, headers);
    expect(response.status).toBe(200);
    expect(body.auth).toEqual({ kind: 'api_key', keyId: 'widget', scopes: ['chat', 'voice'] });
  }
});

it('answers an unknown API key with 401 saying the key is invalid', async () => {
  const url = await serve();
  const { response, body } = await call(`${url}/open`, { 'X-API-Key': 'not-a-configured-key-at-all' });
  expect(response.status).toBe(401);
  expect(body.error.message).toBe('The API key is invalid');
  expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
});

it('answers 403 FORBIDDEN when an API key lacks the scope', async () => {
  const url = await serve();
  const { response, body } = await call(`${url}/github`, { 'X-API-Key': chatKey });
  expect(response.status).toBe(403);
  expect(body.error.code).toBe('FORBIDDEN');
  expect(body.error.message).toBe('This API key lacks the "github" scope');
  expect(body.error.details.required_scope).toBe('github');
});

it('lets an admin key pass every scope check', async () => {
  const url = await serve();
  for (const path of ['/chat', '/github', '/keyed', '/session']) {
    expect((await call(`${url}${path}`, { Authorization: `Bearer ${adminKey}` })).response.status).toBe(200);
  }
});

it('accepts a client secret as Bearer and as X-Session-Token', async () => {
  const url = await serve();
  const token = clientSecret();
  for (const headers of [{ Authorization: `Bearer ${token}` }, { 'X-Session-Token': token }] as Record<
    string,
    string
  >[]) {
    const { response, body } = await call(`${url}/session`, headers);
    expect(response.status).toBe(200);
    expect(body.auth).toMatchObject({ kind: 'client_secret', sessionId: 'sess_1', userId: 'usr_1' });
    expect(body.user).toBe('usr_1');
  }
});

it('answers 403 when a client secret calls a route that needs an API key', async () => {
  const url = await serve();
  for (const path of ['/keyed', '/chat']) {
    const { response, body } = await call(`${url}${path}`, { Authorization: `Bearer ${clientSecret()}` });
    expect(response.status).toBe(403);
    expect(body.error.code).toBe('FORBIDDEN');
  }
});

it('says an expired client secret has expired', async () => {
  const url = await serve();
  const { response, body } = await call(`${url}/open`, { Authorization: `Bearer ${clientSecret(-1000)}` });
  expect(response.status).toBe(401);
  expect(body.error.message).toBe('The client secret has expired; request a new one');
});

it('says a forged or mangled client secret is invalid', async () => {
  const url = await serve();
  for (const token of [
    clientSecret(60_000, 'some-other-signing-secret'),
    'cks_garbage',
    `${clientSecret()}x`,
  ]) {
    const { response, body } = await call(`${url}/open`, { Authorization: `Bearer ${token}` });
    expect(response.status).toBe(401);
    expect(body.error.message).toBe('The client secret is invalid');
  }
});

it('accepts a client secret in access_token on GET only', async () => {
  const url = await serve();
  const token = clientSecret();
  const get = await call(`${url}/session?access_token=${token}`);
  expect(get.response.status).toBe(200);
  expect(get.body.auth).toMatchObject({ kind: 'client_secret' });
  const post = await call(`${url}/session?access_token=${token}`, {}, 'POST');
  expect(post.response.status).toBe(401);
  expect(post.body.error.message).toContain('only on GET');
});

it('refuses an API key in the access_token query parameter', async () => {
  const url = await serve();
  const { response, body } = await call(`${url}/keyed?access_token=${chatKey}`);
  expect(response.status).toBe(401);
  expect(body.error.message).toContain('Only client secrets');
});

it('refuses an Authorization header that is not a Bearer token', async () => {
  const url = await serve();
  const { response } = await call(`${url}/open`, { Authorization: 'Basic dXNlcjpwYXNz' });
  expect(response.status).toBe(401);
});

it('lets an API key act for the user named in X-Cartrita-User, else the service user', async () => {
  const url = await serve();
  const named = await call(`${url}/session`, { 'X-API-Key': chatKey, 'X-Cartrita-User': 'usr_42' });
  expect(named.body.auth).toMatchObject({ kind: 'api_key', userId: 'usr_42' });
  expect(named.body.user).toBe('usr_42');
  const service = await call(`${url}/session`, { 'X-API-Key': chatKey });
  expect(service.body.user).toBe('usr_service');
  const bad = await call(`${url}/session`, { 'X-API-Key': chatKey, 'X-Cartrita-User': 'a b' });
  expect(bad.response.status).toBe(400);
});

it('ignores X-Cartrita-User for client secrets', async () => {
  const url = await serve();
  const { body } = await call(`${url}/session`, {
    Authorization: `Bearer ${clientSecret()}`,
    'X-Cartrita-User': 'usr_someone_else',
  });
  expect(body.user).toBe('usr_1');
});

it('checks requirements without Express through checkAuth', () => {
  expect(checkAuth({ kind: 'anonymous' }, 'none')).toBeUndefined();
  expect(checkAuth(undefined, 'client_secret')?.status).toBe(401);
  expect(checkAuth({ kind: 'api_key', keyId: 'k', scopes: ['voice'] }, { scope: 'voice' })).toBeUndefined();
  expect(checkAuth({ kind: 'api_key', keyId: 'k', scopes: [] }, 'client_secret')).toBeUndefined();
});

it('rejects invalid options and requirements when the factories are called', () => {
  expect(() =>
    authenticate({
      apiKeys: undefined as unknown as [],
      verifyClientSecret: () => ({ ok: false, reason: 'malformed' }),
    }),
  ).toThrow(TypeError);
  expect(() => authenticate({ apiKeys: [], verifyClientSecret: undefined as never })).toThrow(TypeError);
  expect(() => requireAuth('admin' as AuthRequirement)).toThrow(TypeError);
  expect(() => requireAuth({ scope: 'Not A Scope' })).toThrow(TypeError);
  expect(requireAuth('none').name).toBe('requireAuth');
  expect(
    authenticate({ apiKeys: [], verifyClientSecret: () => ({ ok: false, reason: 'malformed' }) }).name,
  ).toBe('authenticate');
});
