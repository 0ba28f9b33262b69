/** @module The `auth` middleware: who is calling (`authenticate`) and whether they may (`requireAuth`). */
import type { IncomingMessage } from 'node:http';
import { type AuthRequirement, scopeNames } from '@cartrita/contracts';
import {
  actingUserHeader,
  type Caller,
  type ClientSecretVerification,
  checkAuth,
  isClientSecretLike,
} from '@cartrita/engine';
import type { NextFunction, Request, Response } from 'express';
import { type ApiKey, matchApiKey } from '../../auth/api-keys.js';
import type { AuthContext } from '../../auth/auth-context.js';
import { HttpError, toHttpError } from '../../http-error.js';
import type { AuthFailureLimiter } from '../../limits/auth-failures.js';

export type { AnonymousAuth, ApiKeyAuth, AuthContext, ClientSecretAuth } from '../../auth/auth-context.js';
export { serviceUserId, userIdOf } from '../../auth/auth-context.js';

/** Options of {@link authenticate}. */
export interface AuthenticateOptions {
  /** The configured API keys (`config.security.apiKeys`). */
  apiKeys: readonly ApiKey[];
  /**
   * Checks a client secret (a token starting `cks_`), usually
   * `(token) => verifyClientSecret(token, signingSecret)`; may also look the session up to refuse
   * revoked ones.
   */
  verifyClientSecret: (token: string) => ClientSecretVerification | Promise<ClientSecretVerification>;
}

/** What a route demands of its caller: the route table's `auth`. */
export type { AuthRequirement } from '@cartrita/contracts';

export { actingUserHeader, checkAuth };

const userPattern = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/;

/**
 * Works out who sent a request, from `Authorization: Bearer <token>`, `X-API-Key`, `X-Session-Token`
 * or, on GET requests only (EventSource and WebSocket cannot send headers), an `access_token` query
 * parameter that carries a client secret. Takes a plain `IncomingMessage`, so WebSocket upgrades can
 * use it too. Resolves to `{kind: 'anonymous'}` when no credential is sent; rejects with a 401
 * `HttpError` when one is sent but is invalid or expired, and with a 403 when a client secret
 * claims to act for another user.
 */
export const createAuthenticator = (options: AuthenticateOptions) => {
  if (!options || !Array.isArray(options.apiKeys)) {
    throw new TypeError('authenticate: apiKeys must be an array');
  }
  if (typeof options.verifyClientSecret !== 'function') {
    throw new TypeError('authenticate: verifyClientSecret must be a function');
  }
  const { apiKeys, verifyClientSecret } = options;

  return async function resolveAuth(req: IncomingMessage): Promise<AuthContext> {
    const credential = credentialOf(req);
    if (credential === undefined) return { kind: 'anonymous' };
    const { token, fromQuery } = credential;
    if (isClientSecretLike(token)) {
      const result = await verifyClientSecret(token);
      if (!result.ok) {
        throw HttpError.unauthorized(
          result.reason === 'expired'
            ? 'The client secret has expired; request a new one'
            : 'The client secret is invalid',
          true,
        );
      }
      if (header(req, actingUserHeader.toLowerCase()) !== undefined) {
        throw HttpError.forbidden(
          `A client secret acts only for its own user: ${actingUserHeader} needs an API key with the "act_as_user" scope`,
        );
      }
      const { sessionId, userId, expiresAt } = result.payload;
      return { kind: 'client_secret', sessionId, userId, expiresAt };
    }
    if (fromQuery) {
      throw HttpError.unauthorized(
        'Only client secrets are accepted in the access_token query parameter; send API keys in the Authorization or X-API-Key header',
        true,
      );
    }
    const key = matchApiKey(token, apiKeys);
    if (key === undefined) throw HttpError.unauthorized('The API key is invalid', true);
    const user = header(req, actingUserHeader.toLowerCase());
    if (user !== undefined && !userPattern.test(user)) {
      throw HttpError.badRequest(`${actingUserHeader} must be a user id of letters, digits and _ . : @ -`);
    }
    return {
      kind: 'api_key',
      keyId: key.id,
      scopes: key.scopes,
      ...(user === undefined ? {} : { userId: user }),
    };
  };
};

export type { Caller } from '@cartrita/engine';

/**
 * Works out who sent a request without refusing it: a missing credential is anonymous, and an
 * invalid one is kept as `failure` for the routes that need a credential to report. Open routes
 * ignore both, so a proxy's `Authorization: Basic ...` or a stale secret never locks them.
 */
export const identify = async (
  resolveAuth: (req: IncomingMessage) => Promise<AuthContext>,
  req: IncomingMessage,
): Promise<Caller> => {
  try {
    return { auth: await resolveAuth(req) };
  } catch (error) {
    return { auth: { kind: 'anonymous' }, failure: toHttpError(error) };
  }
};

/**
 * Sets `req.auth` for every request (see {@link createAuthenticator} for where credentials are read),
 * and `req.authFailure` when a credential was sent but refused. It never answers by itself: each
 * route's {@link requireAuth} decides what its requirement makes of the caller.
 *
 * @example
 * app.use(authenticate({ apiKeys: config.security.apiKeys, verifyClientSecret: (t) => verifyClientSecret(t, secret) }));
 * app.post('/api/shutdown', requireAuth({ scope: 'admin' }), shutdown);
 */
export const authenticate = (options: AuthenticateOptions) => {
  const resolveAuth = createAuthenticator(options);
  return async function authenticate(req: Request, _res: Response, next: NextFunction): Promise<void> {
    const caller = await identify(resolveAuth, req);
    req.auth = caller.auth;
    if (caller.failure) req.authFailure = caller.failure;
    next();
  };
};

/** Where a caller's failed authentications are counted. */
export interface AuthorizeGuard {
  /** The caller's address. */
  ip: string;
  /** The failed-authentication budget; without one, failures are not counted. */
  failures?: AuthFailureLimiter | undefined;
}

/**
 * Decides a request against its route's requirement, counting failed authentications: an address
 * whose failure budget is spent gets 429 for any credential it presents until the window ends;
 * a refused credential is counted and answered with its own 401 (or 400/403); then
 * {@link checkAuth}. Open routes pass everyone without looking.
 */
export const authorize = async (
  caller: Caller,
  requirement: AuthRequirement,
  guard: AuthorizeGuard,
): Promise<HttpError | undefined> => {
  if (requirement === 'none') return undefined;
  const presented = caller.failure !== undefined || caller.auth.kind !== 'anonymous';
  if (presented && guard.failures) {
    const waitMs = await guard.failures.blocked(guard.ip);
    if (waitMs > 0) {
      return HttpError.rateLimited(
        waitMs,
        `Too many failed authentications from this address; retry in ${Math.ceil(waitMs / 1000)} s`,
      );
    }
  }
  if (caller.failure) {
    if (caller.failure.status === 401) await guard.failures?.failed(guard.ip);
    return caller.failure;
  }
  return checkAuth(caller.auth, requirement);
};

/** Options of {@link requireAuth}. */
export interface RequireAuthOptions {
  /** The failed-authentication budget per address. */
  failures?: AuthFailureLimiter;
}

/**
 * Guards a route with {@link authorize}. Mount {@link authenticate} before it.
 *
 * @example
 * router.get('/api/observability/logs', requireAuth({ scope: 'admin' }), listLogs);
 */
export const requireAuth = (requirement: AuthRequirement, options: RequireAuthOptions = {}) => {
  const valid =
    requirement === 'none' ||
    (typeof requirement === 'object' &&
      requirement !== null &&
      typeof requirement.scope === 'string' &&
      (scopeNames as readonly string[]).includes(requirement.scope));
  if (!valid) throw new TypeError(`requireAuth: invalid requirement ${JSON.stringify(requirement)}`);
  const { failures } = options;

  return async function requireAuth(req: Request, _res: Response, next: NextFunction): Promise<void> {
    if (requirement === 'none') {
      next();
      return;
    }
    if (req.auth === undefined) {
      next(new Error('requireAuth: the authenticate middleware must run before requireAuth'));
      return;
    }
    const caller: Caller = req.authFailure
      ? { auth: req.auth, failure: req.authFailure }
      : { auth: req.auth };
    next(
      await authorize(caller, requirement, { ip: req.ip ?? req.socket.remoteAddress ?? 'unknown', failures }),
    );
  };
};

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first.trim() === '' ? undefined : first.trim();
};

const credentialOf = (req: IncomingMessage): { token: string; fromQuery: boolean } | undefined => {
  const authorization = header(req, 'authorization');
  if (authorization !== undefined) {
    const bearer = /^Bearer +([^\s]+)$/i.exec(authorization);
    if (!bearer) throw HttpError.unauthorized('The Authorization header must be "Bearer <token>"', true);
    return { token: bearer[1] as string, fromQuery: false };
  }
  const direct = header(req, 'x-api-key') ?? header(req, 'x-session-token');
  if (direct !== undefined) return { token: direct, fromQuery: false };
  const queryStart = req.url?.indexOf('?') ?? -1;
  if (queryStart === -1) return undefined;
  const tokens = new URLSearchParams((req.url as string).slice(queryStart + 1)).getAll('access_token');
  if (tokens.length === 0) return undefined;
  if (req.method !== 'GET') {
    throw HttpError.unauthorized('The access_token query parameter is accepted only on GET requests', true);
  }
  if (tokens.length > 1 || tokens[0] === '') {
    throw HttpError.unauthorized('Send exactly one access_token query parameter', true);
  }
  return { token: tokens[0] as string, fromQuery: true };
};
