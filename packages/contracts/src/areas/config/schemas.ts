/**
 * @module Configuration (seed 004): the agent studio's sections, each a schema whose defaults fill
 * every field a section leaves out. The server layers them: defaults, the YAML file, then what
 * `PUT /config/{config_type}` stored.
 */
import * as z from 'zod/mini';
import { JsonObject } from '../../query.js';

const int = (min: number, max: number, fallback: number) =>
  z._default(/*#__PURE__*/ z.int().check(z.gte(min), z.lte(max)), fallback);

const name = /*#__PURE__*/ z.string().check(z.minLength(1), z.maxLength(200));

/**
 * How chat turns run: the provider and model of a turn that names neither (`null`: the server's
 * default), and how long a reply may run before it is cancelled.
 */
export const OrchestratorConfig = z.strictObject({
  default_provider: z._default(z.nullable(name), null),
  default_model: z._default(z.nullable(name), null),
  reply_timeout_seconds: int(1, 3600, 300),
  max_iterations: int(1, 100, 10),
});
export type OrchestratorConfig = z.infer<typeof OrchestratorConfig>;

/** How a request is broken into steps. */
export const PlannerConfig = z.strictObject({
  enabled: z._default(z.boolean(), true),
  max_steps: int(1, 100, 10),
  timeout_seconds: int(1, 3600, 60),
});
export type PlannerConfig = z.infer<typeof PlannerConfig>;

/** How agents are generated for a plan's steps. */
export const AgentGeneratorConfig = z.strictObject({
  max_agents: int(1, 50, 5),
  default_model: z._default(z.nullable(name), null),
  temperature: z._default(/*#__PURE__*/ z.number().check(z.gte(0), z.lte(2)), 0.7),
});
export type AgentGeneratorConfig = z.infer<typeof AgentGeneratorConfig>;

/**
 * How uploaded files become prompt context: the size of a chunk and the overlap of two neighbours,
 * in characters, and how many chunks (at most how many characters) join a prompt.
 */
export const ContextConfig = /*#__PURE__*/ z
  .strictObject({
    chunk_size: int(100, 100_000, 1000),
    chunk_overlap: int(0, 50_000, 200),
    max_chunks_per_prompt: int(0, 100, 5),
    max_context_chars: int(0, 1_000_000, 8000),
  })
  .check(
    z.refine((section) => section.chunk_overlap < section.chunk_size, {
      message: 'chunk_overlap must be smaller than chunk_size',
      path: ['chunk_overlap'],
    }),
  );
export type ContextConfig = z.infer<typeof ContextConfig>;

/**
 * Memory: whether chat exchanges are kept as `conversation` memories, how many memories (at most how
 * many characters) join a prompt, and how many days a `conversation` memory is kept (0: forever).
 */
export const MemoryConfig = z.strictObject({
  enabled: z._default(z.boolean(), true),
  record_conversations: z._default(z.boolean(), true),
  max_memories_per_prompt: int(0, 100, 5),
  max_memory_chars: int(0, 1_000_000, 4000),
  retention_days: int(0, 36_500, 30),
});
export type MemoryConfig = z.infer<typeof MemoryConfig>;

/** Every section's schema, by name. */
export const configSections = {
  orchestrator: OrchestratorConfig,
  planner: PlannerConfig,
  agent_generator: AgentGeneratorConfig,
  context: ContextConfig,
  memory: MemoryConfig,
} as const;

/** The name of a section. */
export const ConfigType = z.enum(['orchestrator', 'planner', 'agent_generator', 'context', 'memory']);
export type ConfigType = z.infer<typeof ConfigType>;

/** Every section's name. */
export const configTypes = ConfigType.options;

/** `GET /config/`: every section in effect. */
export const ConfigSections = z.object({
  orchestrator: OrchestratorConfig,
  planner: PlannerConfig,
  agent_generator: AgentGeneratorConfig,
  context: ContextConfig,
  memory: MemoryConfig,
});
export type ConfigSections = z.infer<typeof ConfigSections>;

/** The path of a section: any text, so an unknown section is a 404 rather than a 422. */
export const ConfigParams = z.object({ config_type: z.string() });

/** One section in effect. */
export const ConfigSectionResponse = z.object({ config_type: ConfigType, config: JsonObject });
export type ConfigSectionResponse = z.infer<typeof ConfigSectionResponse>;

/**
 * `PUT /config/{config_type}`: fields of the section to change. `config_type`, when sent, must name
 * the section of the path.
 */
export const ConfigUpdateRequest = z.object({
  config_type: z.optional(z.string()),
  updates: JsonObject,
});
export type ConfigUpdateRequest = z.infer<typeof ConfigUpdateRequest>;

/** One problem of a section: the field's path and what is wrong. */
export const ConfigIssue = z.object({ path: z.string(), message: z.string() });
export type ConfigIssue = z.infer<typeof ConfigIssue>;

/** `GET /config/validate/{config_type}`: whether the section as configured is valid, and why not. */
export const ConfigValidation = z.object({ valid: z.boolean(), errors: z.array(ConfigIssue) });
export type ConfigValidation = z.infer<typeof ConfigValidation>;

/** The answer of `POST /config/reload`: every section in effect after it. */
export const ConfigReloaded = ConfigSections;
