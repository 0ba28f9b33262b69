/** @module @cartrita/sdk/sessions: LLMGine's sessions (seed 001) and what they hold. */

import { Session, SessionCreated, SessionDeleted } from '@cartrita/contracts';
import type { APIPromise } from '../core/api-promise.js';
import { path } from '../core/path.js';
import { APIResource, type RequestCallOptions } from '../core/resource.js';
import type { RouteBody, RouteResult } from '../core/route-types.js';
import { Commands } from './commands.js';
import { Events } from './events.js';
import { Handlers } from './handlers.js';
import { Tools } from './tools.js';

/** `client.sessions.create()` params: an optional `name` and `metadata` of your own. */
export type SessionCreateParams = RouteBody<'sessions.create'>;
/** `client.sessions.create()` result: `{session_id, created_at, status, name, metadata}`. */
export type SessionCreateResult = RouteResult<'sessions.create'>;
/** `client.sessions.get()` result: the session, its status and the counts of what it holds. */
export type SessionGetResult = RouteResult<'sessions.get'>;
/** `client.sessions.delete()` result: `{session_id, deleted: true}`. */
export type SessionDeleteResult = RouteResult<'sessions.delete'>;

/**
 * `/api/sessions`: the container of LLMGine's commands, events, tools, handlers and engines. The
 * session's own areas hang off it (`client.sessions.commands`, `.events`, `.tools`, `.handlers`); a
 * `CartritaClient` also puts the same instances on the client itself (`client.commands`, ...).
 *
 * @example
 * ```ts
 * const { session_id } = await client.sessions.create({ name: 'demo', metadata: { user_id: 'user123' } });
 * const done = await client.sessions.commands.run(session_id, {
 *   command_type: 'DummyEngineCommand',
 *   parameters: { prompt: 'Hello, world!' },
 * });
 * console.log(done.result); // { response: 'Processed: Hello, world!' }
 * await client.sessions.delete(session_id);
 * ```
 */
export class Sessions extends APIResource {
  /** The session's commands: queue, batch, follow, cancel, wait. */
  readonly commands = new Commands(this.transport);
  /** The session's events: publish, list, get, and the live stream. */
  readonly events = new Events(this.transport);
  /** The session's tools: register, list, call, unregister. */
  readonly tools = new Tools(this.transport);
  /** The session's command and event handlers. */
  readonly handlers = new Handlers(this.transport);

  /** `POST /api/sessions`: creates a session (an API key with the `sessions` scope). */
  create(params: SessionCreateParams = {}, options?: RequestCallOptions): APIPromise<SessionCreateResult> {
    return this.transport.request({
      method: 'POST',
      path: '/api/sessions',
      body: params,
      schema: SessionCreated,
      ...options,
    });
  }

  /** `GET /api/sessions/{session_id}`: the session and what it holds; also a ChatKit session, by its id. */
  get(sessionId: string, options?: RequestCallOptions): APIPromise<SessionGetResult> {
    return this.transport.request({
      method: 'GET',
      path: path`/api/sessions/${sessionId}`,
      schema: Session,
      ...options,
    });
  }

  /**
   * `DELETE /api/sessions/{session_id}`: deletes the session and everything it owns. Its commands are
   * cancelled and its event streams end (close code 4404).
   */
  delete(sessionId: string, options?: RequestCallOptions): APIPromise<SessionDeleteResult> {
    return this.transport.request({
      method: 'DELETE',
      path: path`/api/sessions/${sessionId}`,
      schema: SessionDeleted,
      ...options,
    });
  }
}
