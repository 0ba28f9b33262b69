/** @module Agents (seed 000): what this server can run, each persona and each configured provider and model. */
import * as z from 'zod/mini';

/** What an agent can do. */
export const AgentCapability = z.enum(['chat', 'streaming', 'persona', 'widgets']);
export type AgentCapability = z.infer<typeof AgentCapability>;

/**
 * Whether an agent can answer now: `available`; `inactive` (a deactivated persona); `unavailable`
 * (its provider is not configured on this server); `rate_limited` (its provider has spent its burst,
 * so a turn asked for now waits in the provider's queue, or is refused with 429 past the queue timeout).
 */
export const AgentStatus = z.enum(['available', 'inactive', 'unavailable', 'rate_limited']);
export type AgentStatus = z.infer<typeof AgentStatus>;

/**
 * One agent. `id` is what `agent` on the chat doors takes: a persona's id (`per_...`) or a
 * `provider/model` pairing (`openai/gpt-4o-mini`). `kind` says which.
 */
export const AgentInfo = z.object({
  id: z.string(),
  kind: z.enum(['persona', 'provider']),
  name: z.string(),
  description: z.string(),
  capabilities: z.array(AgentCapability),
  provider: z.string(),
  model: z.string(),
  status: AgentStatus,
});
export type AgentInfo = z.infer<typeof AgentInfo>;

/** The answer of `GET /api/agents`: the caller's personas first (oldest first), then the providers. */
export const AgentList = z.object({ agents: z.array(AgentInfo), total: z.int() });
export type AgentList = z.infer<typeof AgentList>;
