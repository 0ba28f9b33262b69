/**
 * @module Contract cases of the agents (seed 000): the caller's personas and the configured
 * providers, and `agent` on the chat doors, on the mocks and the server alike.
 */
import { AgentList, ChatResponse, Persona } from '@cartrita/contracts';
import { expect } from 'vitest';
import type { ContractCase, ContractTarget } from './cases.js';
import { readError, readJson } from './wire.js';

const caller = async (target: ContractTarget) => {
  const secret = await target.createSecret();
  const headers = { authorization: `Bearer ${secret}`, 'content-type': 'application/json' };
  const send = (method: string, path: string, body?: unknown) =>
    target.fetch(`${target.baseURL}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return { send };
};

export const agentsContractCases: readonly ContractCase[] = [
  {
    name: 'agents list the caller’s personas, then each configured provider with its model',
    async run(target) {
      const { send } = await caller(target);
      const what = `${target.name} GET /api/agents`;
      expect(await readJson(await send('GET', '/api/agents'), AgentList, what)).toEqual({
        agents: [
          {
            id: 'demo/demo-1',
            kind: 'provider',
            name: 'demo demo-1',
            description:
              'The built-in offline provider: deterministic replies, widgets and tool calls, no key needed.',
            capabilities: ['chat', 'streaming', 'widgets'],
            provider: 'demo',
            model: 'demo-1',
            status: 'available',
          },
        ],
        total: 1,
      });
      const guide = await readJson(
        await send('POST', '/api/personas', {
          name: 'Guide',
          description: 'Shows the way',
          template: 'You guide.',
        }),
        Persona,
        `${target.name} POST /api/personas`,
        201,
        'allowed',
      );
      await send('PUT', `/api/personas/${guide.id}`, { is_active: false });
      const listed = await readJson(await send('GET', '/api/agents'), AgentList, what);
      expect(listed.total).toBe(2);
      expect(listed.agents[0]).toEqual({
        id: guide.id,
        kind: 'persona',
        name: 'Guide',
        description: 'Shows the way',
        capabilities: ['chat', 'streaming', 'widgets', 'persona'],
        provider: 'demo',
        model: 'demo-1',
        status: 'inactive',
      });
    },
  },
  {
    name: '`agent` on the chat door picks a provider and model, or a persona; an unknown one is a 404',
    async run(target) {
      const { send } = await caller(target);
      const byProvider = await readJson(
        await send('POST', '/api/chat', { message: 'Hello', agent: 'demo/demo-1' }),
        ChatResponse,
        `${target.name} POST /api/chat agent=demo/demo-1`,
      );
      expect([byProvider.provider, byProvider.model]).toEqual(['demo', 'demo-1']);
      const persona = await readJson(
        await send('POST', '/api/personas', { name: 'Pirate', template: 'You are a pirate.' }),
        Persona,
        `${target.name} POST /api/personas`,
        201,
        'allowed',
      );
      const byPersona = await readJson(
        await send('POST', '/api/chat', { message: 'Ahoy', agent: persona.id }),
        ChatResponse,
        `${target.name} POST /api/chat agent=persona`,
      );
      const conversation = await send('GET', `/api/conversations/${byPersona.conversation_id}`);
      expect(((await conversation.json()) as { persona_id?: string }).persona_id).toBe(persona.id);
      await readError(
        await send('POST', '/api/chat', { message: 'Hi', agent: 'per_nobody' }),
        404,
        'NOT_FOUND',
        `${target.name} POST /api/chat unknown agent`,
      );
      await readError(
        await send('POST', '/api/chat', { message: 'Hi', agent: 'openai/gpt-4o-mini' }),
        503,
        'PROVIDER_NOT_CONFIGURED',
        `${target.name} POST /api/chat unconfigured agent`,
      );
    },
  },
];
