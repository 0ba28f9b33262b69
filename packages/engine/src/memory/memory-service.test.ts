import { type ChatKitRequest, defaultUploadTypes, type ThreadStreamEvent } from '@cartrita/contracts';
import { describe, expect, it } from 'vitest';
import { createMemoryBlobStore } from '../blobs.js';
import { sessionChatReply } from '../chat/doors.js';
import type { Clock } from '../clock.js';
import { createEngine } from '../engine.js';
import { createMemoryRepositories } from '../memory.js';
import type { ChatProvider, ProviderChunk, ProviderRequest } from '../providers/types.js';
import { createSigner } from '../signer.js';

/** A provider that answers `reply <n>` and keeps every request it was sent. */
const recordingProvider = (name = 'recorder') => {
  const requests: ProviderRequest[] = [];
  const provider: ChatProvider = {
    name,
    defaultModel: `${name}-model`,
    async *stream(request) {
      requests.push(request);
      yield { type: 'text', delta: `reply ${requests.length}` };
    },
  };
  return { provider, requests };
};

/** A clock the test moves. */
const movableClock = (start: string) => {
  let now = new Date(start).getTime();
  const clock: Clock = { now: () => new Date(now) };
  return { clock, advanceDays: (days: number) => (now += days * 24 * 60 * 60 * 1000) };
};

const engineWith = (clock?: Clock) => {
  const recorder = recordingProvider();
  const other = recordingProvider('other');
  const repositories = createMemoryRepositories();
  const engine = createEngine({
    repositories,
    blobs: createMemoryBlobStore(),
    signer: createSigner(new Uint8Array(32).fill(3)),
    providers: { list: [recorder.provider, other.provider], default: 'recorder' },
    uploads: { maxBytes: 1024, allowedTypes: defaultUploadTypes },
    sessions: { ttlSeconds: 3600 },
    ...(clock ? { clock } : {}),
  });
  const chat = (userId: string, message: string, sessionId?: string) =>
    sessionChatReply(
      engine.chat,
      { message, ...(sessionId ? { session_id: sessionId } : {}) },
      { userId, baseUrl: 'http://localhost' },
      new AbortController().signal,
    );
  return { engine, repositories, requests: recorder.requests, otherRequests: other.requests, chat };
};

const systemMessages = (request: ProviderRequest | undefined) =>
  (request?.messages ?? []).filter((message) => message.role === 'system').map((message) => message.content);

describe('memory in chat turns', () => {
  it('keeps each exchange as a conversation memory of its session', async () => {
    const { engine, chat } = engineWith();
    const first = await chat('usr_a', 'I keep bees in Lisbon');
    const list = await engine.memory.list({ limit: 10, offset: 0 }, 'usr_a');
    expect(list.total).toBe(1);
    expect(list.memories[0]).toMatchObject({
      type: 'conversation',
      content: 'User: I keep bees in Lisbon\nAssistant: reply 1',
      metadata: {
        session_id: first.session_id,
        message_id: first.message_id,
        user_message: 'I keep bees in Lisbon',
        assistant_message: 'reply 1',
      },
    });
    expect((await engine.memory.list({ limit: 10, offset: 0 }, 'usr_b')).total).toBe(0);
  });

  it('puts the session’s exchanges and the user’s facts, most relevant first, before a later prompt', async () => {
    const { engine, chat, requests } = engineWith();
    await engine.memory.create({ type: 'fact', content: 'Has a cat called Miso' }, 'usr_a');
    await engine.memory.create({ type: 'fact', content: 'Works nights at a bakery' }, 'usr_b');
    const first = await chat('usr_a', 'Tell me about bees');
    // The first turn of the session already sees the user's fact, and no one else's.
    expect(systemMessages(requests[0])).toEqual([
      'What you remember of this user and conversation:\n- (fact) Has a cat called Miso',
    ]);
    await chat('usr_a', 'What does my cat like?', first.session_id);
    expect(systemMessages(requests[1])).toEqual([
      [
        'What you remember of this user and conversation:',
        '- (fact) Has a cat called Miso',
        '- (conversation) User: Tell me about bees / Assistant: reply 1',
      ].join('\n'),
    ]);
    // Another session of the same user does not see the first session's exchange.
    await chat('usr_a', 'Something else entirely');
    expect(systemMessages(requests[2])).toEqual([
      'What you remember of this user and conversation:\n- (fact) Has a cat called Miso',
    ]);
  });

  it('follows the memory section: how many memories join a prompt, and whether exchanges are kept', async () => {
    const { engine, chat, requests } = engineWith();
    for (const content of ['Likes tea', 'Likes jazz', 'Likes maps']) {
      await engine.memory.create({ type: 'fact', content }, 'usr_a');
    }
    await engine.config.update('memory', { updates: { max_memories_per_prompt: 1 } });
    await chat('usr_a', 'Do I like maps?');
    expect(systemMessages(requests[0])).toEqual([
      'What you remember of this user and conversation:\n- (fact) Likes maps',
    ]);
    await engine.config.update('memory', {
      updates: { max_memories_per_prompt: 0, record_conversations: false },
    });
    await chat('usr_a', 'Anything?');
    expect(systemMessages(requests[1])).toEqual([]);
    expect((await engine.memory.list({ type: 'conversation', limit: 10, offset: 0 }, 'usr_a')).total).toBe(1);
    await engine.config.update('memory', { updates: { enabled: false, max_memories_per_prompt: 5 } });
    await chat('usr_a', 'Still there?');
    expect(systemMessages(requests[2])).toEqual([]);
  });

  it('forgets conversation memories older than the retention, and keeps facts', async () => {
    const { clock, advanceDays } = movableClock('2026-12-01T10:00:00.000Z');
    const { engine, chat } = engineWith(clock);
    await engine.config.update('memory', { updates: { retention_days: 2 } });
    await engine.memory.create({ type: 'fact', content: 'Old fact' }, 'usr_a');
    await chat('usr_a', 'first');
    advanceDays(3);
    await chat('usr_a', 'second');
    const left = await engine.memory.list({ limit: 10, offset: 0 }, 'usr_a');
    expect(left.memories.map((memory) => memory.content)).toEqual([
      'User: second\nAssistant: reply 2',
      'Old fact',
    ]);
  });

  it('answers a turn that names no provider with the orchestrator section’s default provider', async () => {
    const { engine, chat, requests, otherRequests } = engineWith();
    await engine.config.update('orchestrator', { updates: { default_provider: 'other' } });
    const reply = await chat('usr_a', 'Who answers?');
    expect(reply.provider).toBe('other');
    expect(reply.model).toBe('other-model');
    expect(otherRequests.length).toBe(1);
    expect(requests.length).toBe(0);
  });

  it('cancels a reply that runs past the orchestrator section’s time limit, and keeps no memory of it', async () => {
    const hanging: ChatProvider = {
      name: 'hanging',
      defaultModel: 'hanging-model',
      async *stream(request) {
        yield { type: 'text', delta: 'partial' };
        await new Promise((_, reject) =>
          request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true }),
        );
      },
    };
    const engine = createEngine({
      repositories: createMemoryRepositories(),
      blobs: createMemoryBlobStore(),
      signer: createSigner(new Uint8Array(32).fill(3)),
      providers: { list: [hanging], default: 'hanging' },
      uploads: { maxBytes: 1024, allowedTypes: defaultUploadTypes },
      sessions: { ttlSeconds: 3600 },
    });
    await engine.config.update('orchestrator', { updates: { reply_timeout_seconds: 1 } });
    const reply = await sessionChatReply(
      engine.chat,
      { message: 'Take your time' },
      { userId: 'usr_a', baseUrl: 'http://localhost' },
      new AbortController().signal,
    );
    expect(reply.response).toBe('partial');
    expect((await engine.memory.list({ limit: 10, offset: 0 }, 'usr_a')).total).toBe(0);
  });

  it('answers a turn without memories when recalling them fails', async () => {
    const { repositories, chat, requests } = engineWith();
    Object.assign(repositories.memory.memories, {
      candidates: async () => {
        throw new Error('The memory store is away');
      },
    });
    const reply = await chat('usr_a', 'Still answered?');
    expect(reply.response).toBe('reply 1');
    expect(systemMessages(requests[0])).toEqual([]);
  });

  it('refuses an orchestrator section that names a provider the engine does not have', async () => {
    const { engine } = engineWith();
    const refused = await engine.config
      .update('orchestrator', { updates: { default_provider: 'nowhere' } })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({
      status: 422,
      code: 'VALIDATION_ERROR',
      details: {
        fields: [
          {
            path: 'body.updates.default_provider',
            message: 'No provider is named nowhere here; the providers are recorder, other',
          },
        ],
      },
    });
    expect(engine.config.current('orchestrator').default_provider).toBeNull();
  });
});

describe('memory in /chatkit turns', () => {
  /** A provider whose replies the test scripts, one list of chunks per turn. */
  const scriptedEngine = (turns: ProviderChunk[][]) => {
    const requests: ProviderRequest[] = [];
    const provider: ChatProvider = {
      name: 'scripted',
      defaultModel: 'scripted-model',
      async *stream(request) {
        requests.push(request);
        const chunks = turns[requests.length - 1] ?? [];
        for (const chunk of chunks) yield chunk;
      },
    };
    const engine = createEngine({
      repositories: createMemoryRepositories(),
      blobs: createMemoryBlobStore(),
      signer: createSigner(new Uint8Array(32).fill(4)),
      providers: { list: [provider], default: 'scripted' },
      uploads: { maxBytes: 1024, allowedTypes: defaultUploadTypes },
      sessions: { ttlSeconds: 3600 },
    });
    const ctx = { userId: 'usr_k', baseUrl: 'http://localhost', signal: new AbortController().signal };
    const send = async (request: ChatKitRequest) => {
      const result = await engine.chatkit.process(request, ctx);
      if (result.kind !== 'stream') throw new Error(`${request.type} did not stream`);
      const events: ThreadStreamEvent[] = [];
      for await (const event of result.events) events.push(event);
      return events;
    };
    const conversations = async () =>
      (await engine.memory.list({ type: 'conversation', limit: 10, offset: 0 }, 'usr_k')).memories;
    return { send, conversations, requests };
  };
  const input = (text: string) => ({
    content: [{ type: 'input_text' as const, text }],
    attachments: [],
    inference_options: {},
  });
  const threadOf = (events: ThreadStreamEvent[]) => {
    const first = events[0];
    if (first?.type !== 'thread.created') throw new Error('no thread.created');
    return first.thread.id;
  };

  it('keeps no memory of a turn that failed, and recalls a kept one in the next turn', async () => {
    const { send, conversations, requests } = scriptedEngine([
      [{ type: 'text', delta: 'Teal it is' }],
      [
        { type: 'text', delta: 'Half a rep' },
        { type: 'error', message: 'The provider stopped', allowRetry: true },
      ],
      [{ type: 'text', delta: 'You like teal' }],
    ]);
    const threadId = threadOf(
      await send({ type: 'threads.create', params: { input: input('I like teal') } }),
    );
    await send({
      type: 'threads.add_user_message',
      params: { thread_id: threadId, input: input('Count my reps') },
    });
    expect((await conversations()).map((memory) => memory.content)).toEqual([
      'User: I like teal\nAssistant: Teal it is',
    ]);
    await send({
      type: 'threads.add_user_message',
      params: { thread_id: threadId, input: input('Which colour do I like?') },
    });
    expect(systemMessages(requests[2])).toEqual([
      'What you remember of this user and conversation:\n- (conversation) User: I like teal / Assistant: Teal it is',
    ]);
  });

  it('keeps the answer given after a client tool call with the user message it answers', async () => {
    const { send, conversations } = scriptedEngine([
      [{ type: 'client_tool_call', name: 'get_location', arguments: {} }],
      [{ type: 'text', delta: 'You are in Porto' }],
    ]);
    const threadId = threadOf(
      await send({ type: 'threads.create', params: { input: input('Where am I?') } }),
    );
    expect(await conversations()).toEqual([]);
    await send({
      type: 'threads.add_client_tool_output',
      params: { thread_id: threadId, result: { city: 'Porto' } },
    });
    expect((await conversations()).map((memory) => memory.metadata)).toMatchObject([
      { session_id: threadId, user_message: 'Where am I?', assistant_message: 'You are in Porto' },
    ]);
  });
});
