/** @module The `auth` middleware: who is calling (`authenticate`) and whether they may (`requireAuth`). */
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { type ApiKey, hasScope, matchApiKey } from '../../auth/api-keys.js';
import type { AuthContext } from '../../auth/auth-context.js';
import { type ClientSecretVerification, isClientSecretLike } from '../../auth/client-secret.js';
import { HttpError } from '../../http-error.js';

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

/** What a route demands of its caller; see {@link requireAuth}. */
export type AuthRequirement = 'none' | 'client_secret' | 'api_key' | { scope: string };

/** The header an API key uses to name the user it acts for. */
export const actingUserHeader = 'X-Cartrita-User';

const userPattern = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/;

/**
 * Works out who sent a request, from `Authorization: Bearer <token>`, `X-API-Key`, `X-Session-Token`
 * or, on GET requests only (EventSource and WebSocket cannot send headers), an `access_token` query
 * parameter that carries a client secret. Takes a plain `IncomingMessage`, so WebSocket upgrades can
 * use it too. Resolves to `{kind: 'anonymous'}` when no credential is sent; rejects with a 401
 * `HttpError` when one is sent but is invalid or expired.
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

/**
 * Sets `req.auth` for every request (see {@link createAuthenticator} for where credentials are read).
 * A request without credentials is `{kind: 'anonymous'}` and passes on: routes state their needs with
 * {@link requireAuth}. An invalid or expired credential is a 401 `UNAUTHORIZED` with
 * `WWW-Authenticate: Bearer`, whose message says which.
 *
 * @example
 * app.use(authenticate({ apiKeys: config.security.apiKeys, verifyClientSecret: (t) => verifyClientSecret(t, secret) }));
 * app.post('/api/shutdown', requireAuth({ scope: 'admin' }), shutdown);
 */
export const authenticate = (options: AuthenticateOptions) => {
  const resolveAuth = createAuthenticator(options);
  return async function authenticate(req: Request, _res: Response, next: NextFunction): Promise<void> {
    req.auth = await resolveAuth(req);
    next();
  };
};

/**
 * Checks a caller against a requirement: `undefined` when it passes, else the 401 or 403 to answer.
 * `'none'` passes everyone; `'client_secret'` passes client secrets and API keys (which act for the
 * user in `X-Cartrita-User`, or the service user); `'api_key'` passes any API key; `{scope}` passes
 * API keys with that scope or `admin`. Anonymous callers get 401; the wrong kind or scope gets 403.
 */
export const checkAuth = (
  auth: AuthContext | undefined,
  requirement: AuthRequirement,
): HttpError | undefined => {
  if (requirement === 'none') return undefined;
  if (auth === undefined || auth.kind === 'anonymous') {
    return HttpError.unauthorized(
      requirement === 'client_secret'
        ? 'Authentication required: send a client secret or an API key'
        : 'Authentication required: send an API key',
    );
  }
  if (requirement === 'client_secret') return undefined;
  if (auth.kind !== 'api_key') return HttpError.forbidden('This operation requires an API key');
  if (requirement === 'api_key') return undefined;
  if (hasScope(auth.scopes, requirement.scope)) return undefined;
  return new HttpError('FORBIDDEN', `This API key lacks the "${requirement.scope}" scope`, {
    details: { required_scope: requirement.scope },
    headers: {
      'WWW-Authenticate': `Bearer realm="cartrita", error="insufficient_scope", scope="${requirement.scope}"`,
    },
  });
};

/**
 * Guards a route with {@link checkAuth}. Mount {@link authenticate} before it.
 *
 * @example
 * router.get('/api/observability/logs', requireAuth({ scope: 'admin' }), listLogs);
 */
export const requireAuth = (requirement: AuthRequirement) => {
  const valid =
    requirement === 'none' ||
    requirement === 'client_secret' ||
    requirement === 'api_key' ||
    (typeof requirement === 'object' &&
      requirement !== null &&
      typeof requirement.scope === 'string' &&
      /^[a-z][a-z0-9_.:-]*$/.test(requirement.scope));
  if (!valid) throw new TypeError(`requireAuth: invalid requirement ${JSON.stringify(requirement)}`);

  return function requireAuth(req: Request, _res: Response, next: NextFunction): void {
    if (requirement !== 'none' && req.auth === undefined) {
      next(new Error('requireAuth: the authenticate middleware must run before requireAuth'));
      return;
    }
    next(checkAuth(req.auth, requirement));
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
