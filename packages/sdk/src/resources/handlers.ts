/** @module @cartrita/sdk/handlers: a session's command and event handlers (seed 001). */

import {
  CommandHandler,
  CommandHandlerDeleted,
  EventHandler,
  EventHandlerDeleted,
  HandlerList,
} from '@cartrita/contracts';
import type { APIPromise } from '../core/api-promise.js';
import { path } from '../core/path.js';
import { APIResource, type RequestCallOptions } from '../core/resource.js';
import type { RouteBody, RouteResult } from '../core/route-types.js';

/** `client.handlers.list()` result: `{commands, events}`, the registered handlers of each kind. */
export type HandlerListResult = RouteResult<'sessions.handlers.list'>;
/**
 * `client.handlers.registerCommand()` params: `command_type` and `handler_function`, one JavaScript
 * function that takes the command (`{command_id, session_id, command_type, parameters, metadata}`)
 * and returns its `result`.
 */
export type HandlerRegisterCommandParams = RouteBody<'sessions.handlers.commands.create'>;
/** `client.handlers.registerCommand()` result: `{session_id, command_type, created_at}`. */
export type HandlerRegisterCommandResult = RouteResult<'sessions.handlers.commands.create'>;
/**
 * `client.handlers.registerEvent()` params: `event_type` and `handler_function`, one JavaScript
 * function that takes each event of that type (`{event_id, session_id, event_type, data, metadata,
 * timestamp}`).
 */
export type HandlerRegisterEventParams = RouteBody<'sessions.handlers.events.create'>;
/** `client.handlers.registerEvent()` result: `{session_id, event_type, created_at}`. */
export type HandlerRegisterEventResult = RouteResult<'sessions.handlers.events.create'>;
/** `client.handlers.unregisterCommand()` result: `{command_type, deleted: true}`. */
export type HandlerUnregisterCommandResult = RouteResult<'sessions.handlers.commands.delete'>;
/** `client.handlers.unregisterEvent()` result: `{event_type, deleted: true}`. */
export type HandlerUnregisterEventResult = RouteResult<'sessions.handlers.events.delete'>;

/**
 * `/api/sessions/{session_id}/handlers`: JavaScript that runs a session's commands of a type, or on
 * its events of a type, in the server's sandbox. Inside, `emit(eventType, data)` publishes an event
 * in the session and `log(level, message, data?)` (or `console.*`) writes to the server's logs.
 *
 * @example
 * ```ts
 * await client.handlers.registerCommand(sessionId, {
 *   command_type: 'Greet',
 *   handler_function: 'async function greet(command) { return { greeting: `Hello, ${command.parameters.name}` }; }',
 * });
 * const done = await client.commands.run(sessionId, { command_type: 'Greet', parameters: { name: 'Ada' } });
 * ```
 */
export class Handlers extends APIResource {
  /** `GET /api/sessions/{session_id}/handlers`: the session's command and event handlers. */
  list(sessionId: string, options?: RequestCallOptions): APIPromise<HandlerListResult> {
    return this.transport.request({
      method: 'GET',
      path: path`/api/sessions/${sessionId}/handlers`,
      schema: HandlerList,
      ...options,
    });
  }

  /**
   * `POST /api/sessions/{session_id}/handlers/commands`: registers the handler of a command type; its
   * return value becomes each command's `result` (409 when the type has one).
   */
  registerCommand(
    sessionId: string,
    params: HandlerRegisterCommandParams,
    options?: RequestCallOptions,
  ): APIPromise<HandlerRegisterCommandResult> {
    return this.transport.request({
      method: 'POST',
      path: path`/api/sessions/${sessionId}/handlers/commands`,
      body: params,
      schema: CommandHandler,
      ...options,
    });
  }

  /**
   * `POST /api/sessions/{session_id}/handlers/events`: registers the handler of an event type, run on
   * every event of that type published in the session (409 when the type has one).
   */
  registerEvent(
    sessionId: string,
    params: HandlerRegisterEventParams,
    options?: RequestCallOptions,
  ): APIPromise<HandlerRegisterEventResult> {
    return this.transport.request({
      method: 'POST',
      path: path`/api/sessions/${sessionId}/handlers/events`,
      body: params,
      schema: EventHandler,
      ...options,
    });
  }

  /** `DELETE /api/sessions/{session_id}/handlers/commands/{command_type}`: unregisters a command handler. */
  unregisterCommand(
    sessionId: string,
    commandType: string,
    options?: RequestCallOptions,
  ): APIPromise<HandlerUnregisterCommandResult> {
    return this.transport.request({
      method: 'DELETE',
      path: path`/api/sessions/${sessionId}/handlers/commands/${commandType}`,
      schema: CommandHandlerDeleted,
      ...options,
    });
  }

  /** `DELETE /api/sessions/{session_id}/handlers/events/{event_type}`: unregisters an event handler. */
  unregisterEvent(
    sessionId: string,
    eventType: string,
    options?: RequestCallOptions,
  ): APIPromise<HandlerUnregisterEventResult> {
    return this.transport.request({
      method: 'DELETE',
      path: path`/api/sessions/${sessionId}/handlers/events/${eventType}`,
      schema: EventHandlerDeleted,
      ...options,
    });
  }
}
