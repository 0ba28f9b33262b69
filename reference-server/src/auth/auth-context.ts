/** @module Who made a request: the `req.auth` value set by the `authenticate` middleware. */

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

declare global {
  // Express declares its Request through this global namespace; merging into it is the only way
  // to type `req.auth` for every handler.
  namespace Express {
    interface Request {
      /** Set by the `authenticate` middleware; absent on routes mounted before it. */
      auth?: AuthContext;
      /** Why the credential the request sent was refused, when it was; set by `authenticate`. */
      authFailure?: import('../http-error.js').HttpError;
    }
  }
}
