import { WsServerMessage } from '@cartrita/contracts';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createStore } from '../store.js';
import { CANCELLED_CONTEXT } from '../turn.js';
import { createHandlers } from './create-handlers.js';
import { REALTIME_UNAUTHORIZED_CLOSE_CODE, realtimeHandlers } from './realtime.js';

const baseURL = 'http://realtime.test';
const store = createStore({ baseURL, paceMs: 1 });
const server = setupServer(...createHandlers({ store }), ...realtimeHandlers({ store }));

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => store.reset());
afterAll(() => server.close());

/** A socket to the mock whose messages are validated against the contract and read with `next`. */
const connect = async (secret: string | undefined) => {
  const socket = new WebSocket(`ws://realtime.test/ws/chat${secret ? `?access_token=${secret}` : ''}`);
  const inbox: WsServerMessage[] = [];
  const waiters: (() => void)[] = [];
  let closed: number | undefined;
  socket.addEventListener('message', (event) => {
    inbox.push(WsServerMessage.parse(JSON.parse(String(event.data))));
    for (const wake of waiters.splice(0)) wake();
  });
  socket.addEventListener('close', (event) => {
    closed = event.code;
    for (const wake of waiters.splice(0)) wake();
  });
  onTestFinished(() => socket.close());
  await new Promise<void>((resolve) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('close', () => resolve(), { once: true });
  });
  const wait = () => new Promise<void>((resolve) => waiters.push(resolve));
  return {
    socket,
    send: (message: unknown) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    async next<T extends WsServerMessage['type']>(type?: T): Promise<Extract<WsServerMessage, { type: T }>> {
      for (;;) {
        const index =
          type === undefined ? (inbox.length > 0 ? 0 : -1) : inbox.findIndex((m) => m.type === type);
        if (index >= 0) return inbox.splice(0, index + 1).at(-1) as Extract<WsServerMessage, { type: T }>;
        if (closed !== undefined) throw new Error(`closed with ${closed}`);
        await wait();
      }
    },
    async until(type: WsServerMessage['type']): Promise<WsServerMessage[]> {
      for (;;) {
        const index = inbox.findIndex((m) => m.type === type);
        if (index >= 0) return inbox.splice(0, index + 1);
        if (closed !== undefined) throw new Error(`closed with ${closed}`);
        await wait();
      }
    },
    async closedWith(): Promise<number> {
      while (closed === undefined) await wait();
      return closed;
    },
  };
};

const secret = () => store.createSession({ user: 'ada' }).client_secret;

describe('realtimeHandlers', () => {
  it('answers a plain GET /ws/chat with 426 like the server', async () => {
    const res = await fetch(`${baseURL}/ws/chat`, { headers: { authorization: `Bearer ${secret()}` } });
    expect(res.status).toBe(426);
    expect(res.headers.get('upgrade')).toBe('websocket');
  });

  it('plays the whole flow of a chat in order and stores the conversation', async () => {
    store.respondWith('Hello from the mocked socket');
    const client = await connect(secret());
    expect((await client.next()).type).toBe('session_start');
    client.send({ type: 'chat', data: { message: 'Hi' } });
    const messages = await client.until('post_response_complete');
    const order = messages
      .map((m) => (m.type === 'stage_update' ? `${m.data.stage}:${m.data.status}` : m.type))
      .filter((type, i, all) => type !== 'chunk' || all[i - 1] !== 'chunk');
    expect(order).toEqual([
      'chat_session_start',
      'prompt_resolution:started',
      'prompt_resolution:completed',
      'context:started',
      'context:completed',
      'generation:started',
      'chunk',
      'generation:completed',
      'done',
      'post_response:started',
      'post_response:completed',
      'post_response_complete',
    ]);
    const done = messages.find((m) => m.type === 'done');
    expect(done?.type === 'done' && done.data.response).toBe('Hello from the mocked socket');
    const start = messages[0] as Extract<WsServerMessage, { type: 'chat_session_start' }>;
    const thread = store.thread(start.data.conversation_id);
    expect(thread?.items.map((item) => item.type)).toEqual(['user_message', 'assistant_message']);
    expect(thread?.items[1]?.id).toBe(start.data.message_id);
  });

  it('cancels a reply, answers cancelled and keeps the partial reply', async () => {
    store.respondWith('one two three four five six seven eight nine ten eleven twelve');
    const client = await connect(secret());
    client.send({ type: 'chat', data: { message: '/slow' } });
    const start = await client.next('chat_session_start');
    await client.next('chunk');
    client.send({ type: 'cancel', session_id: start.data.chat_session_id });
    client.send({ type: 'ping' });
    const cancelled = await client.next('cancelled');
    expect(cancelled.data).toEqual({
      chat_session_id: start.data.chat_session_id,
      message_id: start.data.message_id,
    });
    expect(await client.next()).toEqual({ type: 'pong' });
    const thread = store.thread(start.data.conversation_id);
    while ((thread?.items.length ?? 0) < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(thread?.items.map((item) => item.type)).toEqual([
      'user_message',
      'assistant_message',
      'sdk_hidden_context',
    ]);
    expect(thread?.items[2]).toMatchObject({ content: CANCELLED_CONTEXT });
  });

  it('cancels the running chat when a new chat arrives', async () => {
    store.respondWith('a b c d e f g h i j k l m n o p', 'second answer');
    const client = await connect(secret());
    client.send({ type: 'chat', data: { message: '/slow' } });
    const first = await client.next('chat_session_start');
    client.send({ type: 'chat', data: { message: 'next', conversation_id: first.data.conversation_id } });
    expect((await client.next('cancelled')).data.chat_session_id).toBe(first.data.chat_session_id);
    const done = await client.next('done');
    expect(done.data.response).toBe('second answer');
    expect(done.data.conversation_id).toBe(first.data.conversation_id);
  });

  it('answers ping, malformed JSON and invalid messages as the server does', async () => {
    const client = await connect(secret());
    await client.next('session_start');
    client.send({ type: 'ping', data: 7 });
    expect(await client.next()).toEqual({ type: 'pong', data: 7 });
    client.send('not json');
    expect(await client.next()).toMatchObject({ type: 'error', data: { code: 'VALIDATION_ERROR' } });
    client.send({ type: 'chat', data: {} });
    const invalid = await client.next();
    expect(invalid.type === 'error' && invalid.data.message).toMatch(/data\.message/);
    client.send({ type: 'cancel' });
    expect(await client.next()).toMatchObject({ type: 'error', data: { code: 'NOT_FOUND' } });
    client.send({ type: 'chat', data: { message: 'x', conversation_id: 'thr_missing' } });
    expect(await client.next()).toMatchObject({ type: 'error', data: { code: 'THREAD_NOT_FOUND' } });
  });

  it('closes a socket without a valid client secret before it opens', async () => {
    const anonymous = await connect(undefined);
    expect(await anonymous.closedWith()).toBe(REALTIME_UNAUTHORIZED_CLOSE_CODE);
    const forged = await connect('cks_forged');
    expect(await forged.closedWith()).toBe(REALTIME_UNAUTHORIZED_CLOSE_CODE);
  });
});
