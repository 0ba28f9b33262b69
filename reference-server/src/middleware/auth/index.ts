/** @module The `auth` middleware: who is calling (`authenticate`) and whether they may (`requireAuth`). */
import type { IncomingMessage } from 'node:http';
import { type AuthRequirement, scopeNames } from '@cartrita/contracts';
import {
  actingUserHeader,
  type Caller,
  type ClientSecretVerification,
  type CredentialCheck,
  type CredentialSource,
  checkAuth,
  resolveAuth,
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

/** The credentials of a Node request, for the engine. */
const sourceOf = (req: IncomingMessage): CredentialSource => ({
  method: req.method ?? 'GET',
  header: (name) => {
    const value = req.headers[name];
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined || first.trim() === '' ? undefined : first.trim();
  },
  query: (name) => {
    const start = req.url?.indexOf('?') ?? -1;
    return start === -1 ? [] : new URLSearchParams((req.url as string).slice(start + 1)).getAll(name);
  },
});

/**
 * Works out who sent a request, by the engine's rules (`resolveAuth`): API keys are matched by their
 * SHA-256 in constant time against the configured ones. Takes a plain `IncomingMessage`, so
 * WebSocket upgrades can use it too.
 */
export const createAuthenticator = (options: AuthenticateOptions) => {
  if (!options || !Array.isArray(options.apiKeys)) {
    throw new TypeError('authenticate: apiKeys must be an array');
  }
  if (typeof options.verifyClientSecret !== 'function') {
    throw new TypeError('authenticate: verifyClientSecret must be a function');
  }
  const { apiKeys, verifyClientSecret } = options;
  const check: CredentialCheck = { apiKey: (token) => matchApiKey(token, apiKeys), verifyClientSecret };
  return (req: IncomingMessage): Promise<AuthContext> => resolveAuth(sourceOf(req), check);
};

/** Works out who sent a request without refusing it (see the engine's `identify`). */
export const identify = async (
  resolve: (req: IncomingMessage) => Promise<AuthContext>,
  req: IncomingMessage,
): Promise<Caller> => {
  try {
    return { auth: await resolve(req) };
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
