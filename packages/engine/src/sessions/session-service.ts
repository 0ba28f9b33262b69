/** @module LLMGine sessions: create, read with what they hold, delete with everything they own. */
import type { Session, SessionCreated, SessionCreateRequest, SessionDeleted } from '@cartrita/contracts';
import type { StoredSession } from '../chatkit/repositories.js';
import { HttpError } from '../errors.js';
import { newId } from '../ids.js';
import { reaches, type SessionCaller, sessionStatus } from './access.js';
import { type SessionAreaDeps, sessionTopic } from './deps.js';
import type { BusNote } from './event-service.js';

/** Ends a deleted session's running work; the command queue's. */
export type SessionCloser = (sessionId: string) => Promise<void>;

/** Sessions of seed 001, over the one session table ChatKit sessions also live in. */
export class SessionService {
  readonly #deps: SessionAreaDeps;
  /** Set by the command queue: cancels a session's running command before its rows go. */
  onDelete: SessionCloser = async () => {};

  constructor(deps: SessionAreaDeps) {
    this.#deps = deps;
  }

  /** Creates a session of the caller's user; it does not expire. */
  async create(request: SessionCreateRequest, caller: SessionCaller): Promise<SessionCreated> {
    const session = await this.#deps.sessions.create({
      id: newId('session', 8),
      user_id: caller.userId,
      expires_at: null,
      name: request.name ?? null,
      metadata: request.metadata ?? {},
    });
    return {
      session_id: session.id,
      created_at: session.created_at,
      status: sessionStatus(session, this.#deps.clock.now()),
      name: session.name,
      metadata: session.metadata,
    };
  }

  /** A session the caller reaches, whatever its status; else 404 `SESSION_NOT_FOUND`. */
  async find(id: string, caller: SessionCaller): Promise<StoredSession> {
    const session = await this.#deps.sessions.get(id);
    if (!session || !reaches(caller, session)) throw HttpError.notFound('session', id);
    return session;
  }

  /** A session the caller reaches that takes new work; 409 `CONFLICT` when expired or revoked. */
  async active(id: string, caller: SessionCaller): Promise<StoredSession> {
    const session = await this.find(id, caller);
    const status = sessionStatus(session, this.#deps.clock.now());
    if (status !== 'active') {
      throw HttpError.conflict(`Session ${id} is ${status} and takes no new work`, { status });
    }
    return session;
  }

  /** A session with its status and what it holds. */
  async get(id: string, caller: SessionCaller): Promise<Session> {
    const session = await this.find(id, caller);
    const { repositories, engines } = this.#deps;
    const [commands, events, tools, handlers, engineCount] = await Promise.all([
      repositories.commands.counts(id),
      repositories.events.count(id),
      repositories.tools.count(id),
      repositories.handlers.count(id),
      engines.count(id),
    ]);
    return {
      session_id: session.id,
      name: session.name,
      metadata: session.metadata,
      status: sessionStatus(session, this.#deps.clock.now()),
      created_at: session.created_at,
      expires_at: session.expires_at,
      counts: {
        commands: Object.values(commands).reduce((sum, count) => sum + count, 0),
        queued: commands.queued,
        executing: commands.executing,
        events,
        engines: engineCount,
        tools,
        handlers,
      },
    };
  }

  /**
   * Deletes a session and everything it owns: its commands are cancelled (a running one is
   * stopped), its records deleted, and its event streams told to close.
   */
  async delete(id: string, caller: SessionCaller): Promise<SessionDeleted> {
    await this.find(id, caller);
    const { repositories, engines, sessions, bus } = this.#deps;
    await this.onDelete(id);
    await repositories.commands.deleteSession(id);
    await repositories.events.deleteSession(id);
    await repositories.tools.deleteSession(id);
    await repositories.handlers.deleteSession(id);
    await engines.deleteSession(id);
    await sessions.delete(id);
    const note: BusNote = { kind: 'deleted', session_id: id };
    await bus.publish(sessionTopic(id), note);
    return { session_id: id, deleted: true };
  }
}
