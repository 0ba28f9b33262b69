/**
 * @module Modules (seed 003): named pieces of prompt a template pulls in with `@module_name`. A
 * `simple` module is text; an `advanced` one also has a JavaScript script, run in the sandbox, whose
 * `ctx.set_output(name, value)` fills `${name}` in its content.
 */
import * as z from 'zod/mini';
import { Timestamp } from '../../envelope.js';
import { JsonObject } from '../../query.js';
import { QueryBoolean } from './personas.js';

/** `simple` (text) or `advanced` (text filled by a script). */
export const ModuleType = z.enum(['simple', 'advanced']);
export type ModuleType = z.infer<typeof ModuleType>;

/** A module's name, as `@module_name` refers to it: a letter or `_`, then letters, digits or `_`. */
export const ModuleName = /*#__PURE__*/ z
  .string()
  .check(
    z.regex(
      /^[A-Za-z_][A-Za-z0-9_]{0,99}$/,
      'Expected a module name: a letter or _, then letters, digits or _ (at most 100)',
    ),
  );

/** A module's script: JavaScript, either a function body using `ctx` or one function taking `ctx`. */
export const ModuleScript = /*#__PURE__*/ z.string().check(z.minLength(1), z.maxLength(100_000));

const description = /*#__PURE__*/ z.string().check(z.maxLength(2000));
const content = /*#__PURE__*/ z.string().check(z.maxLength(100_000));
const triggerPattern = /*#__PURE__*/ z.string().check(z.maxLength(1000));
const executionStage = /*#__PURE__*/ z.string().check(z.maxLength(100));

/** `POST /api/modules`. An `advanced` module needs a `script`; a `simple` one may not have one. */
export const ModuleCreateRequest = z.object({
  name: ModuleName,
  description: z.optional(z.nullable(description)),
  type: z._default(ModuleType, 'simple'),
  content: z._default(content, ''),
  script: z.optional(z.nullable(ModuleScript)),
  trigger_pattern: z.optional(z.nullable(triggerPattern)),
  execution_stage: z.optional(z.nullable(executionStage)),
  is_active: z._default(z.boolean(), true),
});
export type ModuleCreateRequest = z.infer<typeof ModuleCreateRequest>;

/** `PUT /api/modules/{module_id}`: the fields to change (`null` clears an optional one). */
export const ModuleUpdateRequest = z.object({
  name: z.optional(ModuleName),
  description: z.optional(z.nullable(description)),
  type: z.optional(ModuleType),
  content: z.optional(content),
  script: z.optional(z.nullable(ModuleScript)),
  trigger_pattern: z.optional(z.nullable(triggerPattern)),
  execution_stage: z.optional(z.nullable(executionStage)),
  is_active: z.optional(z.boolean()),
});
export type ModuleUpdateRequest = z.infer<typeof ModuleUpdateRequest>;

/** A module. `plugin_functions` names the plugin functions its script calls, found when it was saved. */
export const Module = z.object({
  id: z.string(),
  name: z.string(),
  description: z.nullable(z.string()),
  type: ModuleType,
  content: z.string(),
  script: z.nullable(z.string()),
  trigger_pattern: z.nullable(z.string()),
  execution_stage: z.nullable(z.string()),
  plugin_functions: z.array(z.string()),
  is_active: z.boolean(),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type Module = z.infer<typeof Module>;

/** `GET /api/modules`: the caller's modules, oldest first, of one type and activity when asked. */
export const ModuleListQuery = z.object({
  type: z.optional(ModuleType),
  active: z.optional(QueryBoolean),
});
export type ModuleListQuery = z.input<typeof ModuleListQuery>;

/** A list of modules. */
export const ModuleList = z.object({ modules: z.array(Module), total: z.int() });
export type ModuleList = z.infer<typeof ModuleList>;

/** The path of one module. */
export const ModuleParams = z.object({ module_id: z.string() });

/** The answer of `DELETE /api/modules/{module_id}`. */
export const ModuleDeleted = z.object({ id: z.string(), deleted: z.literal(true) });
export type ModuleDeleted = z.infer<typeof ModuleDeleted>;

/** One function a script may call, with its signature. */
export const PluginFunction = z.object({
  name: z.string(),
  signature: z.string(),
  description: z.string(),
});
export type PluginFunction = z.infer<typeof PluginFunction>;

/** `GET /api/modules/plugin-functions`. */
export const PluginFunctionList = z.object({ functions: z.array(PluginFunction), total: z.int() });
export type PluginFunctionList = z.infer<typeof PluginFunctionList>;

/** `POST /api/modules/test-script`: a script and the variables `ctx.variables` holds. */
export const ScriptTestRequest = z.object({
  script: ModuleScript,
  variables: z._default(JsonObject, {}),
});
export type ScriptTestRequest = z.infer<typeof ScriptTestRequest>;

/** One line a script logged. */
export const ScriptLog = z.object({ level: z.string(), message: z.string() });
export type ScriptLog = z.infer<typeof ScriptLog>;

/** What a script did: its outputs and logs, or why it failed (`success: false`, `error`). */
export const ScriptTestResult = z.object({
  success: z.boolean(),
  outputs: JsonObject,
  logs: z.array(ScriptLog),
  error: z.nullable(z.string()),
});
export type ScriptTestResult = z.infer<typeof ScriptTestResult>;

/**
 * What one after-reply module (`execution_stage: POST_RESPONSE`) did once a reply was complete:
 * its resolved `text`, its script's `outputs` (advanced modules) and logs, or the `error` that
 * stopped it (the reply itself is kept whatever a module does). `stage` is the pipeline stage it
 * ran in. Kept on the assistant message as `extra_data.post_response.modules`.
 */
export const ModuleRunReport = z.object({
  module_id: z.string(),
  name: z.string(),
  type: ModuleType,
  stage: z.literal('post_response'),
  status: z.enum(['completed', 'failed', 'cancelled']),
  text: z.nullable(z.string()),
  outputs: JsonObject,
  logs: z.array(ScriptLog),
  error: z.nullable(z.string()),
  duration_ms: z.number(),
});
export type ModuleRunReport = z.infer<typeof ModuleRunReport>;
