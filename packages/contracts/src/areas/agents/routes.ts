import { defineRoute } from '../../route.js';
import { AgentList } from './schemas.js';

/** Agents (seed 000). */
export const agentRoutes = [
  defineRoute({
    id: 'agents.list',
    method: 'GET',
    path: '/api/agents',
    tag: 'agents',
    summary: 'List the agents this server can run',
    description:
      'Each persona of the caller and each configured provider with its model, with capabilities and ' +
      'status. The `id` of one is what `agent` on the chat doors takes.',
    auth: { scope: 'chat' },
    response: { json: AgentList },
    errors: [],
  }),
] as const;
