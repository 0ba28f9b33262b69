/** @module Tools (seed 001): JavaScript functions a session registers and calls with checked arguments. */
import * as z from 'zod/mini';
import { Timestamp } from '../../envelope.js';
import { FunctionCode, JsonObject } from '../../query.js';

/** A tool's name: an identifier of at most 64 characters, as model function-calling APIs take. */
export const ToolName = /*#__PURE__*/ z
  .string()
  .check(
    z.regex(
      /^[A-Za-z_][A-Za-z0-9_]{0,63}$/,
      'Expected a tool name: a letter or _, then letters, digits or _ (at most 64)',
    ),
  );

/**
 * `POST /api/sessions/{session_id}/tools`. `parameters` is a JSON Schema: either the properties
 * alone, as the seed writes them (`{"location": {"type": "string"}}`: every one required, no
 * others allowed), or a whole object schema (`{"type": "object", "properties": ..., "required": ...}`).
 * `function_code` is one JavaScript function that takes the arguments object.
 */
export const ToolRegisterRequest = z.object({
  name: ToolName,
  description: z._default(/*#__PURE__*/ z.string().check(z.maxLength(2000)), ''),
  parameters: z._default(JsonObject, {}),
  function_code: FunctionCode,
});
export type ToolRegisterRequest = z.infer<typeof ToolRegisterRequest>;

/** A registered tool. */
export const Tool = z.object({
  name: z.string(),
  description: z.string(),
  parameters: JsonObject,
  created_at: Timestamp,
});
export type Tool = z.infer<typeof Tool>;

/** `GET /api/sessions/{session_id}/tools`: by name. */
export const ToolList = z.object({ tools: z.array(Tool), total: z.int() });
export type ToolList = z.infer<typeof ToolList>;

/** `POST /api/sessions/{session_id}/tools/{tool_name}/execute`. */
export const ToolExecuteRequest = z.object({ arguments: z._default(JsonObject, {}) });
export type ToolExecuteRequest = z.infer<typeof ToolExecuteRequest>;

/**
 * Why user code failed: `kind` is `runtime` (it threw), `timeout`, `memory`, `stack`,
 * `output_too_large` or `busy` (the sandbox's queue is full).
 */
export const CodeFailure = z.object({ kind: z.string(), message: z.string() });
export type CodeFailure = z.infer<typeof CodeFailure>;

/** What a tool call returned (`error: null`), or why its code failed (`result: null`). */
export const ToolExecution = z.object({
  tool_name: z.string(),
  result: z.unknown(),
  error: z.nullable(CodeFailure),
  duration_ms: z.number(),
});
export type ToolExecution = z.infer<typeof ToolExecution>;

/** The path of one tool. */
export const ToolParams = z.object({ session_id: z.string(), tool_name: z.string() });

/** The answer of `DELETE /api/sessions/{session_id}/tools/{tool_name}`. */
export const ToolDeleted = z.object({ tool_name: z.string(), deleted: z.literal(true) });
export type ToolDeleted = z.infer<typeof ToolDeleted>;
