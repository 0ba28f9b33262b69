import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signClientSecret, verifyClientSecret } from '@cartrita/engine';
import express from 'express';
import { afterEach, expect, it } from 'vitest';
import { parseApiKeys } from '../../auth/api-keys.js';
import { createAuthFailureLimiter } from '../../limits/auth-failures.js';
import { errorHandler } from '../error-handler/index.js';
import { requestId } from '../request-id/index.js';
import { type AuthRequirement, authenticate, checkAuth, requireAuth, userIdOf } from './index.js';

interface Envelope {
  error: { code: string; type: string; message: string; details: Record<string, unknown> };
}

const signingSecret = 'a-test-signing-secret-of-some-length';
const adminKey = 'admin-secret-0123456789';
const chatKey = 'chat-secret-0123456789';
const backendKey = 'backend-secret-0123456789';
const apiKeys = parseApiKeys(
  `ops:admin:${adminKey},widget:chat+voice:${chatKey},backend:chat+act_as_user:${backendKey},bare::bare-secret-0123456789`,
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

const serve = async (options: { failures?: number } = {}): Promise<string> => {
  const app = express();
  const failures =
    options.failures === undefined ? undefined : createAuthFailureLimiter({ limit: options.failures });
  app.use(requestId());
  app.use(authenticate({ apiKeys, verifyClientSecret: (token) => verifyClientSecret(token, signingSecret) }));
  const routes: [string, AuthRequirement][] = [
    ['/open', 'none'],
    ['/chat', { scope: 'chat' }],
    ['/github', { scope: 'github' }],
  ];
  for (const [path, requirement] of routes) {
    const handler = (req: express.Request, res: express.Response) => {
      res.json({ auth: req.auth, user: userIdOf(req.auth) ?? null });
    };
    const guard = requireAuth(requirement, failures === undefined ? {} : { failures });
    app.get(path, guard, handler);
    app.post(path, guard, handler);
  }
  app.use(errorHandler({ logger: { error: () => {}, warn: () => {}, debug: () => {} } }));
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

it('keeps open routes open whatever credential comes with the request', async () => {
  const url = await serve({ failures: 1 });
  const credentials: Record<string, string>[] = [
    { Authorization: 'Basic dXNlcjpwYXNz' },
    { Authorization: 'Bearer garbage' },
    { Authorization: `Bearer ${await clientSecret(-1000)}` },
    { 'X-API-Key': 'not-a-configured-key-at-all' },
    { Authorization: `Bearer ${await clientSecret()}`, 'X-Cartrita-User': 'usr_2' },
  ];
  for (const headers of credentials) {
    const { response, body } = await call(`${url}/open`, headers);
    expect(response.status).toBe(200);
    expect(body.auth).toEqual({ kind: 'anonymous' });
  }
});

it('answers 401 with WWW-Authenticate: Bearer when a route needs credentials and none came', async () => {
  const url = await serve();
  const { response, body } = await call(`${url}/chat`);
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toBe('Bearer realm="cartrita"');
  expect(body.error.code).toBe('UNAUTHORIZED');
  expect(body.error.type).toBe('AuthenticationError');
  expect(body.error.message).toBe('Authentication required: send a client secret or an API key');
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
  const { response, body } = await call(`${url}/chat`, { 'X-API-Key': 'not-a-configured-key-at-all' });
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
  expect(response.headers.get('www-authenticate')).toBe(
    'Bearer realm="cartrita", error="insufficient_scope", scope="github"',
  );
  const bare = await call(`${url}/chat`, { 'X-API-Key': 'bare-secret-0123456789' });
  expect(bare.response.status).toBe(403);
  expect(bare.body.error.message).toBe('This API key lacks the "chat" scope');
});

it('lets an admin key pass every scope check', async () => {
  const url = await serve();
  for (const path of ['/chat', '/github']) {
    expect((await call(`${url}${path}`, { Authorization: `Bearer ${adminKey}` })).response.status).toBe(200);
  }
});

it('accepts a client secret as Bearer and as X-Session-Token on chat routes', async () => {
  const url = await serve();
  const token = await clientSecret();
  for (const headers of [{ Authorization: `Bearer ${token}` }, { 'X-Session-Token': token }] as Record<
    string,
    string
  >[]) {
    const { response, body } = await call(`${url}/chat`, headers);
    expect(response.status).toBe(200);
    expect(body.auth).toMatchObject({ kind: 'client_secret', sessionId: 'sess_1', userId: 'usr_1' });
    expect(body.user).toBe('usr_1');
  }
});

it('answers 403 when a client secret calls a route whose scope client secrets do not carry', async () => {
  const url = await serve();
  const { response, body } = await call(`${url}/github`, { Authorization: `Bearer ${await clientSecret()}` });
  expect(response.status).toBe(403);
  expect(body.error.code).toBe('FORBIDDEN');
  expect(body.error.message).toBe(
    'A client secret cannot do this: it needs an API key with the "github" scope',
  );
});

it('says an expired client secret has expired', async () => {
  const url = await serve();
  const { response, body } = await call(`${url}/chat`, {
    Authorization: `Bearer ${await clientSecret(-1000)}`,
  });
  expect(response.status).toBe(401);
  expect(body.error.message).toBe('The client secret has expired; request a new one');
});

it('says a forged or mangled client secret is invalid', async () => {
  const url = await serve();
  for (const token of [
    await clientSecret(60_000, 'some-other-signing-secret'),
    'cks_garbage',
    `${await clientSecret()}x`,
  ]) {
    const { response, body } = await call(`${url}/chat`, { Authorization: `Bearer ${token}` });
    expect(response.status).toBe(401);
    expect(body.error.message).toBe('The client secret is invalid');
  }
});

it('accepts a client secret in access_token on GET only', async () => {
  const url = await serve();
  const token = await clientSecret();
  const get = await call(`${url}/chat?access_token=${token}`);
  expect(get.response.status).toBe(200);
  expect(get.body.auth).toMatchObject({ kind: 'client_secret' });
  const post = await call(`${url}/chat?access_token=${token}`, {}, 'POST');
  expect(post.response.status).toBe(401);
  expect(post.body.error.message).toContain('only on GET');
});

it('refuses an API key in the access_token query parameter', async () => {
  const url = await serve();
  const { response, body } = await call(`${url}/chat?access_token=${chatKey}`);
  expect(response.status).toBe(401);
  expect(body.error.message).toContain('Only client secrets');
});

it('refuses an Authorization header that is not a Bearer token on a route that needs one', async () => {
  const url = await serve();
  const { response, body } = await call(`${url}/chat`, { Authorization: 'Basic dXNlcjpwYXNz' });
  expect(response.status).toBe(401);
  expect(body.error.message).toBe('The Authorization header must be "Bearer <token>"');
});

it('lets only a key with act_as_user act for the user named in X-Cartrita-User', async () => {
  const url = await serve();
  const named = await call(`${url}/chat`, { 'X-API-Key': backendKey, 'X-Cartrita-User': 'usr_42' });
  expect(named.response.status).toBe(200);
  expect(named.body.auth).toMatchObject({ kind: 'api_key', userId: 'usr_42' });
  expect(named.body.user).toBe('usr_42');
  const refused = await call(`${url}/chat`, { 'X-API-Key': chatKey, 'X-Cartrita-User': 'usr_42' });
  expect(refused.response.status).toBe(403);
  expect(refused.body.error.details.required_scope).toBe('act_as_user');
  const service = await call(`${url}/chat`, { 'X-API-Key': chatKey });
  expect(service.body.user).toBe('usr_service');
  const bad = await call(`${url}/chat`, { 'X-API-Key': backendKey, 'X-Cartrita-User': 'a b' });
  expect(bad.response.status).toBe(400);
});

it('refuses a client secret that names another user in X-Cartrita-User', async () => {
  const url = await serve();
  const { response, body } = await call(`${url}/chat`, {
    Authorization: `Bearer ${await clientSecret()}`,
    'X-Cartrita-User': 'usr_someone_else',
  });
  expect(response.status).toBe(403);
  expect(body.error.message).toContain('acts only for its own user');
});

it('counts failed authentications per address and answers 429 for any credential once they are spent', async () => {
  const url = await serve({ failures: 2 });
  const guesses = [];
  for (let i = 0; i < 3; i++) {
    guesses.push(await call(`${url}/chat`, { 'X-API-Key': `wrong-guess-number-${i}-0000` }));
  }
  expect(guesses.map((g) => g.response.status)).toEqual([401, 401, 429]);
  const limited = guesses[2]!;
  expect(limited.body.error.code).toBe('RATE_LIMITED');
  expect(Number(limited.response.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(Number(limited.response.headers.get('retry-after'))).toBeLessThanOrEqual(60);
  // A right key is not told apart from a wrong one while the address waits...
  expect((await call(`${url}/chat`, { 'X-API-Key': chatKey })).response.status).toBe(429);
  // ...but a request without credentials, and any open route, are not affected.
  expect((await call(`${url}/chat`)).response.status).toBe(401);
  expect((await call(`${url}/open`, { 'X-API-Key': 'another-wrong-guess-000' })).response.status).toBe(200);
});

it('does not count a missing credential or a refused scope as a failed authentication', async () => {
  const url = await serve({ failures: 1 });
  for (let i = 0; i < 3; i++) {
    expect((await call(`${url}/chat`)).response.status).toBe(401);
    expect((await call(`${url}/github`, { 'X-API-Key': chatKey })).response.status).toBe(403);
  }
  expect((await call(`${url}/chat`, { 'X-API-Key': chatKey })).response.status).toBe(200);
});

it('checks requirements without Express through checkAuth', () => {
  expect(checkAuth({ kind: 'anonymous' }, 'none')).toBeUndefined();
  expect(checkAuth(undefined, { scope: 'chat' })?.status).toBe(401);
  expect(checkAuth({ kind: 'api_key', keyId: 'k', scopes: ['voice'] }, { scope: 'voice' })).toBeUndefined();
  expect(checkAuth({ kind: 'api_key', keyId: 'k', scopes: ['voice'] }, { scope: 'chat' })?.status).toBe(403);
  expect(
    checkAuth({ kind: 'api_key', keyId: 'k', scopes: ['chat'], userId: 'u' }, { scope: 'chat' })?.status,
  ).toBe(403);
  const secret = { kind: 'client_secret', sessionId: 's', userId: 'u', expiresAt: new Date() } as const;
  expect(checkAuth(secret, { scope: 'chat' })).toBeUndefined();
  expect(checkAuth(secret, { scope: 'admin' })?.status).toBe(403);
});

it('rejects invalid options and requirements when the factories are called', () => {
  expect(() =>
    authenticate({
      apiKeys: undefined as unknown as [],
      verifyClientSecret: () => ({ ok: false, reason: 'malformed' }),
    }),
  ).toThrow(TypeError);
  expect(() => authenticate({ apiKeys: [], verifyClientSecret: undefined as never })).toThrow(TypeError);
  expect(() => requireAuth('admin' as unknown as AuthRequirement)).toThrow(TypeError);
  expect(() => requireAuth({ scope: 'Not A Scope' } as unknown as AuthRequirement)).toThrow(TypeError);
  expect(requireAuth('none').name).toBe('requireAuth');
  expect(
    authenticate({ apiKeys: [], verifyClientSecret: () => ({ ok: false, reason: 'malformed' }) }).name,
  ).toBe('authenticate');
});
