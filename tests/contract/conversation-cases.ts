/**
 * @module Contract cases of seed 003's conversations and messages, run alike on the mocks and the
 * server: they are ChatKit threads and items, so `/chatkit` shows what they create, and the other way round.
 */
import {
  Conversation,
  ConversationDeleted,
  ConversationList,
  Message,
  MessageDeleted,
  MessageList,
} from '@cartrita/contracts';
import { expect } from 'vitest';
import type { ContractCase, ContractTarget } from './cases.js';
import { readError, readJson, type Schema } from './wire.js';

/** The API of one new user of a target, by client secret. */
const api = async (target: ContractTarget) => {
  const headers = {
    authorization: `Bearer ${await target.createSecret()}`,
    'content-type': 'application/json',
  };
  const send = (method: string, path: string, body?: unknown) =>
    target.fetch(`${target.baseURL}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const json = async <T>(schema: Schema<T>, method: string, path: string, body?: unknown, status = 200) =>
    readJson(await send(method, path, body), schema, `${target.name} ${method} ${path}`, status, 'allowed');
  const chatkit = async (type: string, params: Record<string, unknown>) =>
    (await (await send('POST', '/chatkit', { type, params })).json()) as Record<string, unknown>;
  return { send, json, chatkit };
};

/** `DELETE /api/conversations/{id}/memories`, its answer read. */
const api2Memories = async (send: (method: string, path: string) => Promise<Response>, id: string) =>
  (await send('DELETE', `/api/conversations/${id}/memories`)).json();

export const conversationContractCases: readonly ContractCase[] = [
  {
    name: 'a conversation is a ChatKit thread: created, read, changed, listed by persona and deleted',
    async run(target) {
      const { send, json, chatkit } = await api(target);
      const guide = (await (
        await send('POST', '/api/personas', { name: 'Guide', template: 'You guide travellers.' })
      ).json()) as { id: string };
      await readError(
        await send('POST', '/api/conversations', { persona_id: 'no-such-persona' }),
        404,
        'NOT_FOUND',
        target.name,
      );
      const created = await json(
        Conversation,
        'POST',
        '/api/conversations',
        {
          title: 'Trip planning',
          persona_id: guide.id,
          provider_type: 'demo',
          provider_config: { model: 'demo-1' },
        },
        201,
      );
      expect(created).toMatchObject({
        title: 'Trip planning',
        persona_id: guide.id,
        provider_type: 'demo',
        provider_config: { model: 'demo-1' },
      });
      const bare = await json(Conversation, 'POST', '/api/conversations', undefined, 201);
      expect([bare.title, bare.persona_id, bare.provider_type, bare.provider_config]).toEqual([
        null,
        null,
        null,
        null,
      ]);
      const thread = await chatkit('threads.get_by_id', { thread_id: created.id });
      expect([thread.id, thread.title, thread.metadata]).toEqual([created.id, 'Trip planning', {}]);
      const changed = await json(Conversation, 'PUT', `/api/conversations/${created.id}`, {
        title: 'Trip to Lisbon',
        provider_config: null,
      });
      expect([changed.title, changed.persona_id, changed.provider_config]).toEqual([
        'Trip to Lisbon',
        guide.id,
        null,
      ]);
      const listed = await json(ConversationList, 'GET', `/api/conversations/by-persona/${guide.id}`);
      expect(listed.conversations.map((each) => each.id)).toEqual([created.id]);
      const forgotten = await api2Memories(send, created.id);
      expect(forgotten).toEqual({ id: created.id, cleared: 0 });
      await json(ConversationDeleted, 'DELETE', `/api/conversations/${created.id}`);
      await readError(await send('GET', `/api/conversations/${created.id}`), 404, 'NOT_FOUND', target.name);
      await readError(
        await send('DELETE', `/api/conversations/${created.id}`),
        404,
        'NOT_FOUND',
        target.name,
      );
      await readError(
        await send('POST', '/api/conversations', { provider_type: '' }),
        422,
        'VALIDATION_ERROR',
        target.name,
      );
    },
  },
  {
    name: 'messages are the thread’s items: ChatKit shows user and assistant ones without their extras',
    async run(target) {
      const { send, json, chatkit } = await api(target);
      const { id } = await json(Conversation, 'POST', '/api/conversations', { title: 'Notes' }, 201);
      const system = await json(
        Message,
        'POST',
        '/api/messages',
        { conversation_id: id, role: 'system', content: 'Answer briefly.' },
        201,
      );
      const question = await json(
        Message,
        'POST',
        '/api/messages',
        { conversation_id: id, role: 'user', content: 'What is 2 + 2?' },
        201,
      );
      const answer = await json(
        Message,
        'POST',
        '/api/messages',
        {
          conversation_id: id,
          role: 'assistant',
          content: '4',
          thinking: 'Two and two make four.',
          input_tokens: 12,
          output_tokens: 1,
          extra_data: { source: 'import' },
        },
        201,
      );
      expect(answer).toMatchObject({
        conversation_id: id,
        role: 'assistant',
        content: '4',
        thinking: 'Two and two make four.',
        input_tokens: 12,
        output_tokens: 1,
        extra_data: { source: 'import' },
      });
      expect([question.thinking, question.input_tokens, question.extra_data]).toEqual([null, null, null]);
      const listed = await json(MessageList, 'GET', `/api/messages/by-conversation/${id}`);
      expect(listed.messages.map((message) => [message.role, message.content])).toEqual([
        ['system', 'Answer briefly.'],
        ['user', 'What is 2 + 2?'],
        ['assistant', '4'],
      ]);
      const items = (await chatkit('items.list', { thread_id: id, order: 'asc' })) as {
        data: Record<string, unknown>[];
      };
      expect(items.data.map((item) => [item.id, item.type])).toEqual([
        [question.id, 'user_message'],
        [answer.id, 'assistant_message'],
      ]);
      expect(items.data[1]).toEqual({
        id: answer.id,
        thread_id: id,
        created_at: answer.created_at,
        type: 'assistant_message',
        content: [{ type: 'output_text', text: '4', annotations: [] }],
      });
      const edited = await json(Message, 'PUT', `/api/messages/${answer.id}`, {
        content: 'Four',
        output_tokens: 2,
      });
      expect([edited.content, edited.thinking, edited.output_tokens]).toEqual([
        'Four',
        'Two and two make four.',
        2,
      ]);
      await json(MessageDeleted, 'DELETE', `/api/messages/${system.id}`);
      await readError(await send('GET', `/api/messages/${system.id}`), 404, 'NOT_FOUND', target.name);
      await readError(
        await send('POST', '/api/messages', { conversation_id: 'thr_missing', role: 'user', content: 'x' }),
        404,
        'NOT_FOUND',
        target.name,
      );
      await readError(
        await send('POST', '/api/messages', { conversation_id: id, role: 'tool', content: 'x' }),
        422,
        'VALIDATION_ERROR',
        target.name,
      );
    },
  },
  {
    name: 'a ChatKit conversation reads as a conversation with its messages',
    async run(target) {
      const { send, json, chatkit } = await api(target);
      // `threads.create` streams its events; the conversation is read back once the stream ends.
      const input = {
        content: [{ type: 'input_text', text: 'Hello there' }],
        attachments: [],
        inference_options: {},
      };
      await (await send('POST', '/chatkit', { type: 'threads.create', params: { input } })).text();
      const threads = (await chatkit('threads.list', {})) as { data: { id: string }[] };
      const threadId = threads.data[0]?.id as string;
      const conversation = await json(Conversation, 'GET', `/api/conversations/${threadId}`);
      expect(conversation.id).toBe(threadId);
      const listed = await json(MessageList, 'GET', `/api/messages/by-conversation/${threadId}`);
      expect(listed.messages.map((message) => message.role)).toEqual(['user', 'assistant']);
      expect(listed.messages[0]?.content).toBe('Hello there');
    },
  },
];
