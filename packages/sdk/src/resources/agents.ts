/** @module @cartrita/sdk/agents: the agents the server can run (seed 000): personas and providers. */

import { AgentList } from '@cartrita/contracts';
import { APIResource, type RequestCallOptions } from '../core/resource.js';
import type { RouteResult } from '../core/route-types.js';

/** `client.agents.list()` result: `{agents: [{id, kind, name, description, capabilities, provider, model, status}], total}`. */
export type AgentListResult = RouteResult<'agents.list'>;

/**
 * `GET /api/agents`: your personas and the server's configured providers. Pass an agent's `id` as
 * `agent` to `client.chat.create()` to talk to it.
 *
 * @example
 * ```ts
 * const { agents } = await client.agents.list();
 * const reply = await client.chat.create({ message: 'Hello', agent: agents[0]!.id });
 * ```
 */
export class Agents extends APIResource {
  /** `GET /api/agents`: every agent, personas first. */
  list(options?: RequestCallOptions): Promise<AgentListResult> {
    return this.transport.request({ method: 'GET', path: '/api/agents', schema: AgentList, ...options });
  }
}
