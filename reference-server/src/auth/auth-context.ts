/** @module The `req.auth` value set by the `authenticate` middleware: the engine's caller, on Express's request. */
import type { AuthContext, HttpError } from '@cartrita/engine';

export {
  type AnonymousAuth,
  type ApiKeyAuth,
  type AuthContext,
  type ClientSecretAuth,
  serviceUserId,
  userIdOf,
} from '@cartrita/engine';

declare global {
  // Express declares its Request through this global namespace; merging into it is the only way
  // to type `req.auth` for every handler.
  namespace Express {
    interface Request {
      /** Set by the `authenticate` middleware; absent on routes mounted before it. */
      auth?: AuthContext;
      /** Why the credential the request sent was refused, when it was; set by `authenticate`. */
      authFailure?: HttpError;
    }
  }
}
