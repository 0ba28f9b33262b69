/** @module Commands (seed 001): work queued in a session and followed to its outcome. */
import * as z from 'zod/mini';
import { Timestamp } from '../../envelope.js';
import { JsonObject, TypeName } from '../../query.js';

/** Where a command goes in its session's queue: every `high` before any `normal`, then `low`. */
export const CommandPriority = z.enum(['high', 'normal', 'low']);
export type CommandPriority = z.infer<typeof CommandPriority>;

/**
 * Where a command is: `queued`, `executing`, then `completed` (with `result`) or `failed`,
 * `timeout`, `cancelled` (with `error`).
 */
export const CommandStatus = z.enum(['queued', 'executing', 'completed', 'failed', 'timeout', 'cancelled']);
export type CommandStatus = z.infer<typeof CommandStatus>;

/** The statuses a command ends in. */
export const finishedCommandStatuses: readonly CommandStatus[] = [
  'completed',
  'failed',
  'timeout',
  'cancelled',
];

/** The longest `metadata.timeout` a command may ask for, in seconds. */
export const maxCommandTimeoutSeconds = 3600;

/** A command's metadata: its priority and timeout, and any fields of the caller's own. */
export const CommandMetadata = z.looseObject({
  priority: z.optional(CommandPriority),
  /** Seconds the command may run once it starts; the server's default when absent. */
  timeout: z.optional(/*#__PURE__*/ z.number().check(z.gt(0), z.lte(maxCommandTimeoutSeconds))),
});
export type CommandMetadata = z.infer<typeof CommandMetadata>;

/** `POST /api/sessions/{session_id}/commands`. */
export const CommandCreateRequest = z.object({
  command_type: TypeName,
  parameters: z._default(JsonObject, {}),
  metadata: z._default(CommandMetadata, {}),
});
export type CommandCreateRequest = z.infer<typeof CommandCreateRequest>;

/**
 * Why a command did not complete. `code` is `COMMAND_EXECUTION_FAILED` (the handler threw or its code
 * failed), `COMMAND_TIMEOUT`, `COMMAND_CANCELLED`, `SESSION_DELETED` or `SERVER_RESTARTED` (it was
 * running when the server stopped).
 */
export const CommandError = z.object({
  code: z.string(),
  message: z.string(),
});
export type CommandError = z.infer<typeof CommandError>;

/** A command and where it is. */
export const Command = z.object({
  command_id: z.string(),
  session_id: z.string(),
  command_type: z.string(),
  parameters: JsonObject,
  /** The metadata sent, with `priority` and `timeout` filled in. */
  metadata: z.looseObject({ priority: CommandPriority, timeout: z.number() }),
  status: CommandStatus,
  result: z.unknown(),
  error: z.nullable(CommandError),
  created_at: Timestamp,
  started_at: z.nullable(Timestamp),
  completed_at: z.nullable(Timestamp),
});
export type Command = z.infer<typeof Command>;

/** `POST /api/sessions/{session_id}/commands/batch`: queued in the order given. */
export const CommandBatchRequest = z.object({
  commands: /*#__PURE__*/ z.array(CommandCreateRequest).check(z.minLength(1), z.maxLength(100)),
});
export type CommandBatchRequest = z.infer<typeof CommandBatchRequest>;

/** The answer of a batch: the commands, in the order sent. */
export const CommandBatch = z.object({ commands: z.array(Command) });
export type CommandBatch = z.infer<typeof CommandBatch>;

/** The path of one command. */
export const CommandParams = z.object({ session_id: z.string(), command_id: z.string() });
