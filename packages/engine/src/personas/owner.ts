/** @module Whose personas and modules a request reaches: its user's own, and no one else's. */
import { type AuthContext, userIdOf } from '../auth.js';
import { HttpError } from '../errors.js';

/**
 * The user whose personas, modules and images a caller reaches: a client secret's user, or the user
 * an API key acts for.
 *
 * @throws {HttpError} 401 for an anonymous caller (routes with a scope never let one through).
 */
export const ownerOf = (auth: AuthContext | undefined): string => {
  const userId = userIdOf(auth);
  if (userId === undefined)
    throw HttpError.unauthorized('Authentication required: send a client secret or an API key');
  return userId;
};
