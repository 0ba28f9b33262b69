/** @module Handlers (seed 001): JavaScript that runs a session's commands of a type, or on its events. */
import * as z from 'zod/mini';
import { Timestamp } from '../../envelope.js';
import { FunctionCode, TypeName } from '../../query.js';

/** `POST /api/sessions/{session_id}/handlers/commands`: runs every command of `command_type`. */
export const CommandHandlerRequest = z.object({
  command_type: TypeName,
  handler_function: FunctionCode,
});
export type CommandHandlerRequest = z.infer<typeof CommandHandlerRequest>;

/** `POST /api/sessions/{session_id}/handlers/events`: runs on every event of `event_type`. */
export const EventHandlerRequest = z.object({
  event_type: TypeName,
  handler_function: FunctionCode,
});
export type EventHandlerRequest = z.infer<typeof EventHandlerRequest>;

/** A registered command handler. */
export const CommandHandler = z.object({
  session_id: z.string(),
  command_type: z.string(),
  created_at: Timestamp,
});
export type CommandHandler = z.infer<typeof CommandHandler>;

/** A registered event handler. */
export const EventHandler = z.object({
  session_id: z.string(),
  event_type: z.string(),
  created_at: Timestamp,
});
export type EventHandler = z.infer<typeof EventHandler>;

/** `GET /api/sessions/{session_id}/handlers`. */
export const HandlerList = z.object({
  commands: z.array(CommandHandler),
  events: z.array(EventHandler),
});
export type HandlerList = z.infer<typeof HandlerList>;

/** The path of one command handler. */
export const CommandHandlerParams = z.object({ session_id: z.string(), command_type: z.string() });
/** The path of one event handler. */
export const EventHandlerParams = z.object({ session_id: z.string(), event_type: z.string() });

/** The answer of `DELETE .../handlers/commands/{command_type}`. */
export const CommandHandlerDeleted = z.object({ command_type: z.string(), deleted: z.literal(true) });
export type CommandHandlerDeleted = z.infer<typeof CommandHandlerDeleted>;

/** The answer of `DELETE .../handlers/events/{event_type}`. */
export const EventHandlerDeleted = z.object({ event_type: z.string(), deleted: z.literal(true) });
export type EventHandlerDeleted = z.infer<typeof EventHandlerDeleted>;
