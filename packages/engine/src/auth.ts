/**
 * @module Who is calling and what they may do: the caller of a request (an API key, a client secret or
 * nobody) and the scope rules every route's requirement is checked by, in the server and the mocks.
 */
import { type AuthRequirement, clientSecretScopes, grantsProvider, grantsScope } from '@cartrita/contracts';
import { type ClientSecretVerification, isClientSecretLike } from './chatkit/client-secret.js';
import { HttpError, toHttpError } from './errors.js';

/** A caller authenticated with a server-side API key. */
export interface ApiKeyAuth {
  kind: 'api_key';
  /** The configured name of the key. */
  keyId: string;
  scopes: readonly string[];
  /** The user the key acts for, from the `X-Cartrita-User` header, if sent. */
  userId?: string;
}

/** A caller holding a client secret, which reaches only its own session. */
export interface ClientSecretAuth {
  kind: 'client_secret';
  sessionId: string;
  userId: string;
  expiresAt: Date;
}

/** A caller that sent no credential. */
export interface AnonymousAuth {
  kind: 'anonymous';
}

/** What `req.auth` holds after the `authenticate` middleware ran. */
export type AuthContext = ApiKeyAuth | ClientSecretAuth | AnonymousAuth;

/** Who sent a request: the credential that was accepted, or why the one sent was refused. */
export interface Caller {
  auth: AuthContext;
  /** The refusal of a credential that was sent but is not valid (401) or not allowed (400, 403). */
  failure?: HttpError;
}

/** The user an API key acts for when the request names none in `X-Cartrita-User`. */
export const serviceUserId = 'usr_service';

/**
 * The user a request acts for: a client secret's own user; for an API key the user named in
 * `X-Cartrita-User`, else {@link serviceUserId}; `undefined` when anonymous.
 */
export const userIdOf = (auth: AuthContext | undefined): string | undefined => {
  if (!auth) return undefined;
  switch (auth.kind) {
    case 'client_secret':
      return auth.userId;
    case 'api_key':
      return auth.userId ?? serviceUserId;
    default:
      return undefined;
  }
};

/** The header an API key uses to name the user it acts for. */
export const actingUserHeader = 'X-Cartrita-User';

/**
 * Checks a caller against a requirement: `undefined` when it passes, else the 401 or 403 to answer.
 * `'none'` passes everyone. `{scope}` passes an API key that has the scope (or `admin`) and a client
 * secret when the scope is one a client secret carries (`chat`); an API key acting for a user named
 * in `X-Cartrita-User` also needs `act_as_user`. Anonymous callers get 401; the wrong scope 403.
 */
export const checkAuth = (
  auth: AuthContext | undefined,
  requirement: AuthRequirement,
): HttpError | undefined => {
  if (requirement === 'none') return undefined;
  const { scope } = requirement;
  if (auth === undefined || auth.kind === 'anonymous') {
    return HttpError.unauthorized(
      clientSecretScopes.includes(scope)
        ? 'Authentication required: send a client secret or an API key'
        : 'Authentication required: send an API key',
    );
  }
  if (auth.kind === 'client_secret') {
    if (clientSecretScopes.includes(scope)) return undefined;
    return insufficientScope(
      scope,
      `A client secret cannot do this: it needs an API key with the "${scope}" scope`,
    );
  }
  if (!grantsScope(auth.scopes, scope)) {
    return insufficientScope(scope, `This API key lacks the "${scope}" scope`);
  }
  if (auth.userId !== undefined && !grantsScope(auth.scopes, 'act_as_user')) {
    return insufficientScope(
      'act_as_user',
      `This API key lacks the "act_as_user" scope needed to act for the user in ${actingUserHeader}`,
    );
  }
  return undefined;
};

const insufficientScope = (scope: string, message: string) =>
  new HttpError('FORBIDDEN', message, {
    details: { required_scope: scope },
    headers: {
      'WWW-Authenticate': `Bearer realm="cartrita", error="insufficient_scope", scope="${scope}"`,
    },
  });

/** Where credentials are read from: a request's method, headers and query, whatever the transport. */
export interface CredentialSource {
  method: string;
  /** A header's value (the first, when sent more than once), `undefined` when absent or blank. */
  header(name: string): string | undefined;
  /** Every value of a query parameter. */
  query(name: string): string[];
}

/** How credentials are checked. */
export interface CredentialCheck {
  /** The configured API key whose secret is `token`, or `undefined` (compare in constant time). */
  apiKey(token: string): { id: string; scopes: readonly string[] } | undefined;
  /** Checks a client secret's signature and expiry. */
  verifyClientSecret(token: string): ClientSecretVerification | Promise<ClientSecretVerification>;
}

const userPattern = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/;

/**
 * The credential a request sends: `Authorization: Bearer <token>`, `X-API-Key`, `X-Session-Token`
 * or, on GET requests only (EventSource and WebSocket cannot send headers), one `access_token`
 * query parameter. Throws a 401 for a malformed one.
 */
export const credentialOf = (source: CredentialSource): { token: string; fromQuery: boolean } | undefined => {
  const authorization = source.header('authorization');
  if (authorization !== undefined) {
    const bearer = /^Bearer +([^\s]+)$/i.exec(authorization);
    if (!bearer) throw HttpError.unauthorized('The Authorization header must be "Bearer <token>"', true);
    return { token: bearer[1] as string, fromQuery: false };
  }
  const direct = source.header('x-api-key') ?? source.header('x-session-token');
  if (direct !== undefined) return { token: direct, fromQuery: false };
  const tokens = source.query('access_token');
  if (tokens.length === 0) return undefined;
  if (source.method !== 'GET') {
    throw HttpError.unauthorized('The access_token query parameter is accepted only on GET requests', true);
  }
  if (tokens.length > 1 || tokens[0] === '') {
    throw HttpError.unauthorized('Send exactly one access_token query parameter', true);
  }
  return { token: tokens[0] as string, fromQuery: true };
};

/**
 * Works out who sent a request (see {@link credentialOf} for where credentials are read). Resolves to
 * `{kind: 'anonymous'}` when no credential is sent; rejects with a 401 when one is sent but is invalid
 * or expired, a 403 when a client secret claims to act for another user, and a 400 for a malformed
 * `X-Cartrita-User`.
 */
export const resolveAuth = async (source: CredentialSource, check: CredentialCheck): Promise<AuthContext> => {
  const credential = credentialOf(source);
  if (credential === undefined) return { kind: 'anonymous' };
  const { token, fromQuery } = credential;
  const actingUser = source.header(actingUserHeader.toLowerCase());
  if (isClientSecretLike(token)) {
    const result = await check.verifyClientSecret(token);
    if (!result.ok) {
      throw HttpError.unauthorized(
        result.reason === 'expired'
          ? 'The client secret has expired; request a new one'
          : 'The client secret is invalid',
        true,
      );
    }
    if (actingUser !== undefined) {
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
  const key = check.apiKey(token);
  if (key === undefined) throw HttpError.unauthorized('The API key is invalid', true);
  if (actingUser !== undefined && !userPattern.test(actingUser)) {
    throw HttpError.badRequest(`${actingUserHeader} must be a user id of letters, digits and _ . : @ -`);
  }
  return {
    kind: 'api_key',
    keyId: key.id,
    scopes: key.scopes,
    ...(actingUser === undefined ? {} : { userId: actingUser }),
  };
};

/**
 * Works out who sent a request without refusing it: a missing credential is anonymous, and an
 * invalid one is kept as `failure` for the routes that need a credential to report. Open routes
 * ignore both, so a proxy's `Authorization: Basic ...` or a stale secret never locks them.
 */
export const identify = async (source: CredentialSource, check: CredentialCheck): Promise<Caller> => {
  try {
    return { auth: await resolveAuth(source, check) };
  } catch (error) {
    return { auth: { kind: 'anonymous' }, failure: toHttpError(error) };
  }
};

/**
 * Which chat providers a caller may use: an API key holding provider scopes (`openai`,
 * `huggingface`) only those (and `demo`); every other caller any configured provider.
 */
export const providerAllowed =
  (auth: AuthContext | undefined) =>
  (provider: string): boolean =>
    auth?.kind !== 'api_key' || grantsProvider(auth.scopes, provider);
