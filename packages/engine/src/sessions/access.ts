/** @module Who may reach a session: its user, and a client secret only its own session. */
import type { SessionStatus } from '@cartrita/contracts';
import { type AuthContext, userIdOf } from '../auth.js';
import type { StoredSession } from '../chatkit/repositories.js';
import { HttpError } from '../errors.js';

/** Who is asking for a session's records. */
export interface SessionCaller {
  /** The user whose sessions the caller reaches. */
  userId: string;
  /** Set for a client secret: the one session it reaches. */
  sessionId?: string;
}

/**
 * The session caller of an authenticated request: an API key reaches every session of the user it
 * acts for; a client secret its own session only.
 *
 * @throws {HttpError} 401 for an anonymous caller (routes with a scope never let one through).
 */
export const sessionCallerOf = (auth: AuthContext): SessionCaller => {
  const userId = userIdOf(auth);
  if (userId === undefined) throw HttpError.unauthorized('Authentication required: send an API key');
  return auth.kind === 'client_secret' ? { userId, sessionId: auth.sessionId } : { userId };
};

/** Whether a caller may reach a session; others' sessions are reported as absent, not forbidden. */
export const reaches = (caller: SessionCaller, session: StoredSession): boolean =>
  session.user_id === caller.userId && (caller.sessionId === undefined || caller.sessionId === session.id);

/** A session's status at `now`. */
export const sessionStatus = (session: StoredSession, now: Date): SessionStatus => {
  if (session.revoked) return 'revoked';
  if (session.expires_at !== null && session.expires_at <= now.toISOString()) return 'expired';
  return 'active';
};
