/**
 * @module Contract cases of seed 004's memory and configuration: memories made, listed, changed,
 * forgotten and cleared; every chat exchange kept as a conversation memory; the configuration
 * sections read, changed (and refused), checked and reloaded, on the mocks and on the server alike.
 * The sections are the server's own, shared by every case: a case that changes one puts it back.
 */
import {
  ConfigSectionResponse,
  ConfigSections,
  ConfigValidation,
  MemoryCleared,
  MemoryDeleted,
  MemoryEntry,
  MemoryList,
  SessionChatResponse,
  type ThreadStreamEvent,
} from '@cartrita/contracts';
import { expect } from 'vitest';
import type { ContractCase, ContractTarget } from './cases.js';
import { readError, readEvents, readJson, type Schema } from './wire.js';

/** The memory and configuration routes for one new user of a target, with an API key of every scope. */
const studio = (target: ContractTarget) => {
  const headers = target.apiHeaders();
  const send = (method: string, path: string, body?: unknown) =>
    target.fetch(`${target.baseURL}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  const json = async <T>(schema: Schema<T>, method: string, path: string, body?: unknown, status = 200) =>
    readJson(await send(method, path, body), schema, `${target.name} ${method} ${path}`, status, 'allowed');
  const error = async (method: string, path: string, body: unknown, status: number, code: string) =>
    readError(await send(method, path, body), status, code, `${target.name} ${method} ${path}`);
  return { send, json, error };
};

const defaults = {
  orchestrator: {
    default_provider: null,
    default_model: null,
    reply_timeout_seconds: 300,
    max_iterations: 10,
  },
  planner: { enabled: true, max_steps: 10, timeout_seconds: 60 },
  agent_generator: { max_agents: 5, default_model: null, temperature: 0.7 },
  context: { chunk_size: 1000, chunk_overlap: 200, max_chunks_per_prompt: 5, max_context_chars: 8000 },
  memory: {
    enabled: true,
    record_conversations: true,
    max_memories_per_prompt: 5,
    max_memory_chars: 4000,
    retention_days: 30,
  },
};

/** The cases, in the order they run. */
export const memoryContractCases: readonly ContractCase[] = [
  {
    name: 'profile and fact memories are made, listed newest first by type and page, changed and forgotten',
    async run(target) {
      const { json, error } = studio(target);
      const profile = await json(
        MemoryEntry,
        'POST',
        '/memory/',
        { type: 'profile', content: 'Prefers short answers', metadata: { source: 'settings' } },
        201,
      );
      expect(profile).toMatchObject({
        type: 'profile',
        content: 'Prefers short answers',
        metadata: { source: 'settings' },
      });
      expect(profile.id).toMatch(/^mem_[0-9a-f]{16}$/);
      const fact = await json(
        MemoryEntry,
        'POST',
        '/memory/',
        { type: 'fact', content: 'Lives in Lisbon' },
        201,
      );
      expect(fact.metadata).toEqual({});

      const all = await json(MemoryList, 'GET', '/memory/');
      expect(all.memories.map((memory) => memory.id)).toEqual([fact.id, profile.id]);
      expect(all.total).toBe(2);
      const page = await json(MemoryList, 'GET', '/memory/?limit=1&offset=1');
      expect(page).toEqual({ memories: [profile], total: 2 });
      const facts = await json(MemoryList, 'GET', '/memory/?type=fact');
      expect(facts).toEqual({ memories: [fact], total: 1 });

      expect(await json(MemoryEntry, 'GET', `/memory/${fact.id}`)).toEqual(fact);
      const moved = await json(MemoryEntry, 'PUT', `/memory/${fact.id}`, { content: 'Lives in Porto' });
      expect(moved).toEqual({ ...fact, content: 'Lives in Porto' });
      const tagged = await json(MemoryEntry, 'PUT', `/memory/${fact.id}`, { metadata: { confirmed: true } });
      expect(tagged).toEqual({ ...fact, content: 'Lives in Porto', metadata: { confirmed: true } });

      expect(await json(MemoryDeleted, 'DELETE', `/memory/${fact.id}`)).toEqual({
        id: fact.id,
        deleted: true,
      });
      await error('GET', `/memory/${fact.id}`, undefined, 404, 'NOT_FOUND');
      await error('PUT', '/memory/mem_unknown', { content: 'x' }, 404, 'NOT_FOUND');
      await error('DELETE', '/memory/mem_unknown', undefined, 404, 'NOT_FOUND');
      await error(
        'POST',
        '/memory/',
        { type: 'conversation', content: 'made by hand' },
        422,
        'VALIDATION_ERROR',
      );
      await error('POST', '/memory/', { type: 'fact', content: '' }, 422, 'VALIDATION_ERROR');
      await error('GET', '/memory/?type=dream', undefined, 422, 'VALIDATION_ERROR');
      await error('PUT', `/memory/${profile.id}`, { content: 7 }, 422, 'VALIDATION_ERROR');
    },
  },
  {
    name: 'every chat exchange is kept as a conversation memory of its session',
    async run(target) {
      const { json } = studio(target);
      const first = await json(SessionChatResponse, 'POST', '/chat/', {
        message: 'My favourite colour is teal',
      });
      const second = await json(SessionChatResponse, 'POST', '/chat/', {
        message: 'Which colour do I like?',
        session_id: first.session_id,
      });
      expect(second.session_id).toBe(first.session_id);
      const { memories, total } = await json(MemoryList, 'GET', '/memory/?type=conversation');
      expect(total).toBe(2);
      expect(memories.map((memory) => memory.metadata)).toEqual([
        {
          session_id: first.session_id,
          message_id: second.message_id,
          user_message: 'Which colour do I like?',
          assistant_message: second.response,
        },
        {
          session_id: first.session_id,
          message_id: first.message_id,
          user_message: 'My favourite colour is teal',
          assistant_message: first.response,
        },
      ]);
      expect(memories[1]?.content).toBe(`User: My favourite colour is teal\nAssistant: ${first.response}`);
    },
  },
  {
    name: '/chatkit turns are kept as conversation memories by the same rule as the other doors',
    async run(target) {
      const { send, json } = studio(target);
      const stream = async (type: string, params: Record<string, unknown>) =>
        readEvents(await send('POST', '/chatkit', { type, params }), `${target.name} ${type}`);
      const input = (text: string) => ({
        content: [{ type: 'input_text', text }],
        attachments: [],
        inference_options: {},
      });
      const replyOf = (events: ThreadStreamEvent[]) => {
        const done = events.findLast(
          (event) => event.type === 'thread.item.done' && event.item.type === 'assistant_message',
        );
        if (done?.type !== 'thread.item.done' || done.item.type !== 'assistant_message') {
          throw new Error(`${target.name}: the turn has no assistant message`);
        }
        return { id: done.item.id, text: done.item.content.map((part) => part.text).join('\n') };
      };
      const first = await stream('threads.create', { input: input('My favourite colour is teal') });
      const created = first[0];
      if (created?.type !== 'thread.created') throw new Error(`${target.name}: no thread.created`);
      const threadId = created.thread.id;
      const second = await stream('threads.add_user_message', {
        thread_id: threadId,
        input: input('Which colour do I like?'),
      });
      const [one, two] = [replyOf(first), replyOf(second)];
      const { memories, total } = await json(MemoryList, 'GET', '/memory/?type=conversation');
      expect(total).toBe(2);
      expect(memories.map((memory) => memory.metadata)).toEqual([
        {
          session_id: threadId,
          message_id: two.id,
          user_message: 'Which colour do I like?',
          assistant_message: two.text,
        },
        {
          session_id: threadId,
          message_id: one.id,
          user_message: 'My favourite colour is teal',
          assistant_message: one.text,
        },
      ]);
      expect(memories[1]?.content).toBe(`User: My favourite colour is teal\nAssistant: ${one.text}`);

      // The `memory` section's switch applies to this door too.
      await json(ConfigSectionResponse, 'PUT', '/config/memory', {
        updates: { record_conversations: false },
      });
      try {
        await stream('threads.add_user_message', { thread_id: threadId, input: input('Not kept') });
        expect((await json(MemoryList, 'GET', '/memory/?type=conversation')).total).toBe(2);
      } finally {
        await json(ConfigSectionResponse, 'PUT', '/config/memory', { updates: defaults.memory });
      }
    },
  },
  {
    name: 'the planner section stops a chat turn that takes more steps than max_steps',
    async run(target) {
      const { json } = studio(target);
      const full = await json(SessionChatResponse, 'POST', '/chat/', { message: '/progress' });
      expect(full.response).toBe('All three steps are done.');
      await json(ConfigSectionResponse, 'PUT', '/config/planner', { updates: { max_steps: 2 } });
      try {
        const stopped = await json(SessionChatResponse, 'POST', '/chat/', {
          message: '/progress',
          session_id: full.session_id,
        });
        expect(stopped.response).toBe('');
        // A stopped turn is not an exchange: only the first one is remembered.
        expect((await json(MemoryList, 'GET', '/memory/?type=conversation')).total).toBe(1);
      } finally {
        await json(ConfigSectionResponse, 'PUT', '/config/planner', { updates: defaults.planner });
      }
    },
  },
  {
    name: 'memories are cleared by type, by age, or all at once',
    async run(target) {
      const { json, error } = studio(target);
      await json(MemoryEntry, 'POST', '/memory/', { type: 'fact', content: 'one' }, 201);
      await json(MemoryEntry, 'POST', '/memory/', { type: 'fact', content: 'two' }, 201);
      await json(MemoryEntry, 'POST', '/memory/', { type: 'profile', content: 'three' }, 201);
      expect(
        await json(MemoryCleared, 'POST', '/memory/clear', { older_than: '2000-01-01T00:00:00Z' }),
      ).toEqual({
        cleared: 0,
      });
      expect(await json(MemoryCleared, 'POST', '/memory/clear', { type: 'fact' })).toEqual({ cleared: 2 });
      expect((await json(MemoryList, 'GET', '/memory/')).total).toBe(1);
      expect(
        await json(MemoryCleared, 'POST', '/memory/clear', { older_than: '2999-01-01T00:00:00Z' }),
      ).toEqual({
        cleared: 1,
      });
      await json(MemoryEntry, 'POST', '/memory/', { type: 'fact', content: 'four' }, 201);
      expect(await json(MemoryCleared, 'POST', '/memory/clear')).toEqual({ cleared: 1 });
      expect(await json(MemoryList, 'GET', '/memory/')).toEqual({ memories: [], total: 0 });
      await error('POST', '/memory/clear', { older_than: 'last week' }, 422, 'VALIDATION_ERROR');
    },
  },
  {
    name: 'configuration sections are read, changed as a whole, refused when invalid, checked and reloaded',
    async run(target) {
      const { json, error } = studio(target);
      expect(await json(ConfigSections, 'GET', '/config/')).toEqual(defaults);
      expect(await json(ConfigSectionResponse, 'GET', '/config/context')).toEqual({
        config_type: 'context',
        config: defaults.context,
      });

      const changed = await json(ConfigSectionResponse, 'PUT', '/config/memory', {
        config_type: 'memory',
        updates: { max_memories_per_prompt: 2, retention_days: 7 },
      });
      expect(changed).toEqual({
        config_type: 'memory',
        config: { ...defaults.memory, max_memories_per_prompt: 2, retention_days: 7 },
      });
      expect((await json(ConfigSections, 'GET', '/config/')).memory).toEqual(changed.config);

      // The whole section is checked with the change: an overlap as large as the chunk is refused.
      const refused = await error(
        'PUT',
        '/config/context',
        { updates: { chunk_size: 150, chunk_overlap: 150 } },
        422,
        'VALIDATION_ERROR',
      );
      expect(refused.error.details?.fields).toEqual([
        { path: 'body.updates.chunk_overlap', message: 'chunk_overlap must be smaller than chunk_size' },
      ]);
      await error('PUT', '/config/context', { updates: { chunk_size: 'big' } }, 422, 'VALIDATION_ERROR');
      await error('PUT', '/config/context', { updates: { unknown_field: 1 } }, 422, 'VALIDATION_ERROR');
      await error('PUT', '/config/context', { config_type: 'memory', updates: {} }, 422, 'VALIDATION_ERROR');
      await error('PUT', '/config/context', { updates: 'all' }, 422, 'VALIDATION_ERROR');
      const unknownProvider = await error(
        'PUT',
        '/config/orchestrator',
        { updates: { default_provider: 'nowhere' } },
        422,
        'VALIDATION_ERROR',
      );
      expect(unknownProvider.error.details?.fields).toEqual([
        {
          path: 'body.updates.default_provider',
          message: 'No provider is named nowhere here; the providers are demo',
        },
      ]);
      expect((await json(ConfigSectionResponse, 'GET', '/config/context')).config).toEqual(defaults.context);

      await error('GET', '/config/nonsense', undefined, 404, 'NOT_FOUND');
      await error('PUT', '/config/nonsense', { updates: {} }, 404, 'NOT_FOUND');
      await error('GET', '/config/validate/nonsense', undefined, 404, 'NOT_FOUND');
      expect(await json(ConfigValidation, 'GET', '/config/validate/memory')).toEqual({
        valid: true,
        errors: [],
      });

      expect((await json(ConfigSections, 'POST', '/config/reload')).memory).toEqual(changed.config);

      const restored = await json(ConfigSectionResponse, 'PUT', '/config/memory', {
        updates: { max_memories_per_prompt: 5, retention_days: 30 },
      });
      expect(restored.config).toEqual(defaults.memory);
    },
  },
];
