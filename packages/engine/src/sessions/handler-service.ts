/** @module Handlers: JavaScript that runs a session's commands of a type, or on its events of a type. */
import type {
  CommandHandler,
  CommandHandlerDeleted,
  CommandHandlerRequest,
  EventHandler,
  EventHandlerDeleted,
  EventHandlerRequest,
  HandlerList,
} from '@cartrita/contracts';
import { HttpError } from '../errors.js';
import type { SessionCaller } from './access.js';
import type { SessionAreaDeps } from './deps.js';
import type { HandlerKind, StoredHandler } from './repositories.js';
import type { SessionService } from './session-service.js';
import type { UserCode } from './user-code.js';

const toCommandHandler = (handler: StoredHandler): CommandHandler => ({
  session_id: handler.session_id,
  command_type: handler.type,
  created_at: handler.created_at,
});

const toEventHandler = (handler: StoredHandler): EventHandler => ({
  session_id: handler.session_id,
  event_type: handler.type,
  created_at: handler.created_at,
});

/** Handlers of seed 001: one per session, kind and type. */
export class HandlerService {
  readonly #deps: SessionAreaDeps;
  readonly #sessions: SessionService;
  readonly #code: () => UserCode;

  constructor(deps: SessionAreaDeps, sessions: SessionService, code: () => UserCode) {
    this.#deps = deps;
    this.#sessions = sessions;
    this.#code = code;
  }

  /** Registers the handler of a command type. */
  async registerCommand(
    sessionId: string,
    caller: SessionCaller,
    request: CommandHandlerRequest,
  ): Promise<CommandHandler> {
    return toCommandHandler(
      await this.#register(sessionId, caller, 'command', request.command_type, request.handler_function),
    );
  }

  /** Registers the handler of an event type. */
  async registerEvent(
    sessionId: string,
    caller: SessionCaller,
    request: EventHandlerRequest,
  ): Promise<EventHandler> {
    return toEventHandler(
      await this.#register(sessionId, caller, 'event', request.event_type, request.handler_function),
    );
  }

  /** A session's handlers. */
  async list(sessionId: string, caller: SessionCaller): Promise<HandlerList> {
    await this.#sessions.find(sessionId, caller);
    const handlers = await this.#deps.repositories.handlers.list(sessionId);
    return {
      commands: handlers.filter((handler) => handler.kind === 'command').map(toCommandHandler),
      events: handlers.filter((handler) => handler.kind === 'event').map(toEventHandler),
    };
  }

  /** Unregisters a command type's handler; 404 `HANDLER_NOT_FOUND` when there is none. */
  async deleteCommand(
    sessionId: string,
    caller: SessionCaller,
    commandType: string,
  ): Promise<CommandHandlerDeleted> {
    await this.#delete(sessionId, caller, 'command', commandType);
    return { command_type: commandType, deleted: true };
  }

  /** Unregisters an event type's handler; 404 `HANDLER_NOT_FOUND` when there is none. */
  async deleteEvent(
    sessionId: string,
    caller: SessionCaller,
    eventType: string,
  ): Promise<EventHandlerDeleted> {
    await this.#delete(sessionId, caller, 'event', eventType);
    return { event_type: eventType, deleted: true };
  }

  async #register(
    sessionId: string,
    caller: SessionCaller,
    kind: HandlerKind,
    type: string,
    code: string,
  ): Promise<StoredHandler> {
    await this.#sessions.active(sessionId, caller);
    await this.#code().check(code, 'handler_function');
    const handler: StoredHandler = {
      session_id: sessionId,
      kind,
      type,
      code,
      created_at: this.#deps.clock.now().toISOString(),
    };
    if (!(await this.#deps.repositories.handlers.create(handler))) {
      throw HttpError.conflict(
        `Session ${sessionId} has a ${kind} handler for "${type}" already; unregister it first`,
        { kind, type },
      );
    }
    return handler;
  }

  async #delete(sessionId: string, caller: SessionCaller, kind: HandlerKind, type: string): Promise<void> {
    await this.#sessions.find(sessionId, caller);
    if (!(await this.#deps.repositories.handlers.delete(sessionId, kind, type))) {
      throw new HttpError('HANDLER_NOT_FOUND', `Session ${sessionId} has no ${kind} handler for "${type}"`, {
        details: { kind, type },
      });
    }
  }
}
