/**
 * @module Who is calling and what they may do: the caller of a request (an API key, a client secret or
 * nobody) and the scope rules every route's requirement is checked by, in the server and the mocks.
 */
import { type AuthRequirement, clientSecretScopes, grantsScope } from '@cartrita/contracts';
import { HttpError } from './errors.js';

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
