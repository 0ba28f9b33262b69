import type { Duplex } from 'node:stream';
import {
  CartritaClient,
  type ChatRunMessage,
  isAPIConnectionError,
  isRealtimeError,
  type RealtimeState,
} from '@cartrita/sdk';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startTestServer, type TestServerOptions } from '../../reference-server/src/testing.js';

/** A server, a client whose client secrets come from it, and the server side of every socket. */
const setup = async (options: TestServerOptions = {}) => {
  const server = await startTestServer(options);
  onTestFinished(() => server.close());
  const sockets: Duplex[] = [];
  server.running.server.on('upgrade', (_req, socket: Duplex) => sockets.push(socket));
  const anonymous = new CartritaClient({ baseURL: server.url });
  let secret: string | undefined;
  const client = new CartritaClient({
    baseURL: server.url,
    getClientSecret: async ({ force }) => {
      if (force || !secret) secret = (await anonymous.chatkit.createSession()).client_secret;
      return secret;
    },
  });
  return { server, client, sockets };
};

const items = async (client: CartritaClient, threadId: string) => {
  const page = await client.chatkit.request({
    type: 'items.list',
    params: { thread_id: threadId, order: 'asc' },
  });
  return (page as { data: { type: string; id: string; content?: { text: string }[] }[] }).data;
};

describe('client.realtime against the reference server', () => {
  it('streams a reply and resolves done with the whole text', async () => {
    const { client } = await setup({ env: { DEMO_PACE_MS: '1' } });
    const chat = client.realtime.chat();
    onTestFinished(() => chat.close());
    const run = chat.send('Hello from the SDK');
    const seen: ChatRunMessage['type'][] = [];
    let streamed = '';
    for await (const message of run) {
      seen.push(message.type);
      if (message.type === 'chunk') streamed += message.data.content;
    }
    const result = await run.done;
    expect(result).toMatchObject({ status: 'completed', provider: 'demo', model: 'demo-1' });
    expect(result.text).toBe(streamed);
    expect(result.text).toContain('Hello from the SDK');
    expect(seen[0]).toBe('chat_session_start');
    expect(seen.at(-1)).toBe('post_response_complete');
    expect(chat.sessionId).toMatch(/^ws_/);

    const next = await chat.send('And again', { conversation_id: result.conversationId }).done;
    expect(next.conversationId).toBe(result.conversationId);
    expect((await items(client, result.conversationId as string)).map((item) => item.type)).toEqual([
      'user_message',
      'assistant_message',
      'user_message',
      'assistant_message',
    ]);
  });

  it('picks an agent with agent on the chat message: a provider and model, or a persona', async () => {
    const { client } = await setup({ env: { DEMO_PACE_MS: '1' } });
    const chat = client.realtime.chat();
    onTestFinished(() => chat.close());
    const byProvider = await chat.send('Hello', { agent: 'demo/demo-1' }).done;
    expect([byProvider.status, byProvider.provider, byProvider.model]).toEqual([
      'completed',
      'demo',
      'demo-1',
    ]);
    const persona = await client.personas.create({ name: 'Pirate', template: 'You are a pirate.' });
    const byPersona = await chat.send('Ahoy', { agent: persona.id }).done;
    expect(byPersona.status).toBe('completed');
    expect((await client.conversations.get(byPersona.conversationId as string)).persona_id).toBe(persona.id);
    const error = await chat.send('Hi', { agent: 'per_nobody' }).done.catch((e: unknown) => e);
    expect(isRealtimeError(error) && error.code).toBe('NOT_FOUND');
  });

  it('cancels a run; the server aborts the reply and keeps the partial text', async () => {
    const { client, server } = await setup({ env: { DEMO_PACE_MS: '5' } });
    const chat = client.realtime.chat();
    onTestFinished(() => chat.close());
    const run = chat.send('/slow');
    let chunks = 0;
    for await (const message of run) {
      if (message.type === 'chunk' && ++chunks === 3) run.cancel();
    }
    const result = await run.done;
    expect(result.status).toBe('cancelled');
    expect(result.text.length).toBeGreaterThan(0);
    while (server.running.context.engine.chat.running > 0)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const stored = await items(client, result.conversationId as string);
    const assistant = stored.find((item) => item.type === 'assistant_message');
    expect(assistant?.id).toBe(result.messageId);
    expect(assistant?.content?.[0]?.text.startsWith(result.text)).toBe(true);
  });

  it('lets a new message cancel the running one', async () => {
    const { client } = await setup({ env: { DEMO_PACE_MS: '5' } });
    const chat = client.realtime.chat();
    onTestFinished(() => chat.close());
    const first = chat.send('/slow');
    for await (const message of first) if (message.type === 'chunk') break;
    // Leaving the loop cancelled the first run already; the second one answers in full.
    const second = chat.send('Second');
    expect((await first.done).status).toBe('cancelled');
    expect((await second.done).status).toBe('completed');
  });

  it('matches every run to its own answer when messages follow each other at once', async () => {
    const { client } = await setup({ env: { DEMO_PACE_MS: '5' } });
    const chat = client.realtime.chat();
    onTestFinished(() => chat.close());
    const runs = [chat.send('/slow one'), chat.send('/slow two'), chat.send('three')];
    const results = await Promise.all(runs.map((run) => run.done));
    expect(results.map((result) => result.status)).toEqual(['cancelled', 'cancelled', 'completed']);
    expect(results[2]?.text).toContain('three');
    expect(new Set(results.map((result) => result.chatSessionId)).size).toBe(3);
  });

  it('reconnects after the server drops the socket and sends the message queued meanwhile', async () => {
    const { client, sockets } = await setup({ env: { DEMO_PACE_MS: '1' } });
    const chat = client.realtime.chat({ reconnect: { initialDelayMs: 20, maxDelayMs: 50 } });
    onTestFinished(() => chat.close());
    await chat.ready();
    const states: RealtimeState[] = [];
    chat.on('state', ({ state }) => states.push(state));
    const lost = chat.send('/slow');
    await new Promise<void>((resolve) => {
      const off = chat.on('message', (message) => {
        if (message.type === 'chunk') {
          off();
          resolve();
        }
      });
    });
    const reconnecting = new Promise<void>((resolve) => chat.on('reconnecting', () => resolve()));
    sockets[0]?.destroy();
    await reconnecting;
    expect(chat.state).toBe('reconnecting');
    const queued = chat.send('Sent after the drop');
    expect(chat.queued).toBe(1);
    expect(isAPIConnectionError(await lost.done.catch((error: unknown) => error))).toBe(true);
    const result = await queued.done;
    expect(result.status).toBe('completed');
    expect(result.text).toContain('Sent after the drop');
    expect(states).toEqual(['reconnecting', 'open']);
    expect(sockets).toHaveLength(2);
  });
});

describe('the stages of a realtime run against the reference server', () => {
  it('tells each stage and resolves with what the after-reply modules did', async () => {
    const { client } = await setup({ env: { DEMO_PACE_MS: '1' } });
    const persona = await client.personas.create({ name: 'Guide', template: 'You guide.', mode: 'reactive' });
    await client.modules.create({
      name: 'echo',
      type: 'advanced',
      content: 'noted',
      script: 'ctx.set_output("asked", ctx.get_variable("message"))',
      trigger_pattern: 'museum',
      execution_stage: 'POST_RESPONSE',
    });
    const chat = client.realtime.chat();
    onTestFinished(() => chat.close());
    const run = chat.send('Which museum first?', { persona_id: persona.id });
    const stages: string[] = [];
    run.onStage(({ stage, status }) => stages.push(`${stage}:${status}`));
    const result = await run.done;
    expect(stages).toEqual([
      'prompt_resolution:started',
      'prompt_resolution:completed',
      'context:started',
      'context:completed',
      'generation:started',
      'generation:completed',
      'post_response:started',
      'post_response:completed',
    ]);
    expect(result.status).toBe('completed');
    expect(
      result.modules.map(({ name, stage, status, text, outputs }) => ({
        name,
        stage,
        status,
        text,
        outputs,
      })),
    ).toEqual([
      {
        name: 'echo',
        stage: 'post_response',
        status: 'completed',
        text: 'noted',
        outputs: { asked: 'Which museum first?' },
      },
    ]);
  });
});
