/** @module Engines (seed 001): a model behind a session, called with a prompt. */
import * as z from 'zod/mini';
import { Timestamp } from '../../envelope.js';
import { JsonObject } from '../../query.js';
import { ChatParameters } from '../chat/requests.js';

/**
 * Where an engine is: `initialized` until its first call, `executing` during one, `active` after a
 * call that succeeded, `error` after one that failed (it can still be called).
 */
export const EngineStatus = z.enum(['initialized', 'active', 'executing', 'error']);
export type EngineStatus = z.infer<typeof EngineStatus>;

/**
 * `POST /api/engines`. `engine_type` is `DummyEngine` (echoes, offline) or the name of a chat provider
 * (`demo`, `openai`, ...). `configuration` holds the defaults of every call (`temperature`,
 * `max_tokens`, `top_p`, `system_prompt`).
 */
export const EngineCreateRequest = z.object({
  engine_type: /*#__PURE__*/ z.string().check(z.minLength(1), z.maxLength(100)),
  model_name: z.optional(/*#__PURE__*/ z.string().check(z.minLength(1), z.maxLength(200))),
  session_id: z.string(),
  configuration: z._default(
    z.looseObject({
      ...ChatParameters.shape,
      system_prompt: z.optional(/*#__PURE__*/ z.string().check(z.maxLength(100_000))),
    }),
    {},
  ),
});
export type EngineCreateRequest = z.infer<typeof EngineCreateRequest>;

/** Token counts an engine has used. */
export const EngineUsage = z.object({
  executions: z.int(),
  input_tokens: z.int(),
  output_tokens: z.int(),
});
export type EngineUsage = z.infer<typeof EngineUsage>;

/** An engine. */
export const Engine = z.object({
  engine_id: z.string(),
  engine_type: z.string(),
  model_name: z.nullable(z.string()),
  status: EngineStatus,
  session_id: z.string(),
  configuration: JsonObject,
  usage: EngineUsage,
  created_at: Timestamp,
  last_used_at: z.nullable(Timestamp),
});
export type Engine = z.infer<typeof Engine>;

/** `GET /api/engines`: the caller's engines, newest first, of one session or status when given. */
export const EngineListQuery = z.object({
  session_id: z.optional(z.string()),
  status: z.optional(EngineStatus),
});
export type EngineListQuery = z.infer<typeof EngineListQuery>;

/** A list of engines. */
export const EngineList = z.object({ engines: z.array(Engine), total: z.int() });
export type EngineList = z.infer<typeof EngineList>;

/** `POST /api/engines/{engine_id}/execute`: `parameters` override the engine's configuration. */
export const EngineExecuteRequest = z.object({
  prompt: /*#__PURE__*/ z.string().check(z.minLength(1), z.maxLength(100_000)),
  parameters: z.optional(ChatParameters),
});
export type EngineExecuteRequest = z.infer<typeof EngineExecuteRequest>;

/** What an engine answered. */
export const EngineExecution = z.object({
  engine_id: z.string(),
  engine_type: z.string(),
  model: z.string(),
  response: z.string(),
  usage: z.object({ input_tokens: z.int(), output_tokens: z.int() }),
  duration_ms: z.number(),
});
export type EngineExecution = z.infer<typeof EngineExecution>;

/** The answer of `DELETE /api/engines/{engine_id}`. */
export const EngineDeleted = z.object({ engine_id: z.string(), deleted: z.literal(true) });
export type EngineDeleted = z.infer<typeof EngineDeleted>;

/** The path of one engine. */
export const EngineParams = z.object({ engine_id: z.string() });
