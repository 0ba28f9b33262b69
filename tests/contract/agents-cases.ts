/**
 * @module Contract cases of the agents (seed 000): the caller's personas and the configured
 * providers, and `agent` on the chat doors, on the mocks and the server alike.
 */
import { AgentList, ChatResponse, Conversation, Persona, SessionChatResponse } from '@cartrita/contracts';
import { expect } from 'vitest';
import type { ContractCase, ContractTarget } from './cases.js';
import { expectWholeReply, readFrames } from './chat-cases.js';
import { readError, readEvents, readJson } from './wire.js';

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

/** A persona of the caller's, to pick as an agent. */
const newPersona = async (target: ContractTarget, send: Awaited<ReturnType<typeof caller>>['send']) =>
  readJson(
    await send('POST', '/api/personas', { name: 'Pirate', template: 'You are a pirate.' }),
    Persona,
    `${target.name} POST /api/personas`,
    201,
    'allowed',
  );

/** The persona a conversation has. */
const personaOf = async (
  target: ContractTarget,
  send: Awaited<ReturnType<typeof caller>>['send'],
  conversationId: string,
) =>
  (
    await readJson(
      await send('GET', `/api/conversations/${conversationId}`),
      Conversation,
      `${target.name} GET /api/conversations/{id}`,
      200,
      'allowed',
    )
  ).persona_id;

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
  {
    name: '`agent` on seed 004’s /chat/ and /chat/stream picks a provider and model, or a persona',
    async run(target) {
      const { send } = await caller(target);
      const byProvider = await readJson(
        await send('POST', '/chat/', { message: 'Hello', agent: 'demo/demo-1' }),
        SessionChatResponse,
        `${target.name} POST /chat/ agent=demo/demo-1`,
      );
      expect([byProvider.provider, byProvider.model]).toEqual(['demo', 'demo-1']);
      const persona = await newPersona(target, send);
      const what = `${target.name} POST /chat/stream agent=persona`;
      const { done } = expectWholeReply(
        await readFrames(await send('POST', '/chat/stream', { message: 'Ahoy', agent: persona.id }), what),
        what,
      );
      expect(await personaOf(target, send, done.session_id as string)).toBe(persona.id);
      await readError(
        await send('POST', '/chat/', { message: 'Hi', agent: 'per_nobody' }),
        404,
        'NOT_FOUND',
        `${target.name} POST /chat/ unknown agent`,
      );
      await readError(
        await send('POST', '/chat/stream', { message: 'Hi', agent: 'openai/gpt-4o-mini' }),
        503,
        'PROVIDER_NOT_CONFIGURED',
        `${target.name} POST /chat/stream unconfigured agent`,
      );
    },
  },
  {
    name: '/chatkit takes an agent as inference_options.model: a persona becomes the thread’s, a provider answers',
    async run(target) {
      const { send } = await caller(target);
      const persona = await newPersona(target, send);
      const input = (text: string, model: string) => ({
        content: [{ type: 'input_text', text }],
        attachments: [],
        inference_options: { model },
      });
      const created = await readEvents(
        await send('POST', '/chatkit', {
          type: 'threads.create',
          params: { input: input('Ahoy', persona.id) },
        }),
        `${target.name} threads.create model=persona`,
      );
      const first = created[0];
      if (first?.type !== 'thread.created')
        throw new Error(`${target.name}: the stream began with ${first?.type}`);
      const threadId = first.thread.id;
      expect(created.filter((event) => event.type === 'error')).toEqual([]);
      expect(await personaOf(target, send, threadId)).toBe(persona.id);
      const added = await readEvents(
        await send('POST', '/chatkit', {
          type: 'threads.add_user_message',
          params: { thread_id: threadId, input: input('And now plainly', 'demo/demo-1') },
        }),
        `${target.name} threads.add_user_message model=demo/demo-1`,
      );
      expect(added.filter((event) => event.type === 'error')).toEqual([]);
      expect(
        added.filter((event) => event.type === 'thread.item.done').map((event) => event.item.type),
      ).toEqual(['user_message', 'assistant_message']);
      await readError(
        await send('POST', '/chatkit', {
          type: 'threads.create',
          params: { input: input('Hi', 'openai/gpt-4o-mini') },
        }),
        503,
        'PROVIDER_NOT_CONFIGURED',
        `${target.name} threads.create model=openai/gpt-4o-mini`,
      );
    },
  },
];
