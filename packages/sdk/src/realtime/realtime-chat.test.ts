import type { ChatStage, ModuleRunReport, WsClientMessage, WsServerMessage } from '@cartrita/contracts';
import { describe, expect, it, onTestFinished } from 'vitest';
import { isAPIConnectionError, isAPIUserAbortError } from '../core/errors.js';
import { type AuthTokenContext, Transport } from '../core/request.js';
import { DEFAULT_RECONNECT, reconnectDelay } from './backoff.js';
import { isRealtimeError } from './errors.js';
import { RealtimeChat, type RealtimeChatOptions, type RealtimeState, realtimeUrl } from './realtime-chat.js';

/** A scriptable stand-in for the browser `WebSocket`: the test plays the server. */
const fakeSockets = () => {
  const sockets: FakeSocket[] = [];
  class FakeSocket {
    readyState = 0;
    onopen: ((event: unknown) => void) | null = null;
    onmessage: ((event: { data: string }) => void) | null = null;
    onclose: ((event: { code: number; reason: string }) => void) | null = null;
    onerror: ((event: unknown) => void) | null = null;
    readonly sent: WsClientMessage[] = [];
    closedWith: number | undefined;
    constructor(
      readonly url: string,
      readonly init?: unknown,
    ) {
      sockets.push(this);
    }
    send(data: string) {
      this.sent.push(JSON.parse(data));
    }
    close(code = 1000, reason = '') {
      if (this.readyState >= 2) return;
      this.readyState = 3;
      this.closedWith = code;
      queueMicrotask(() => this.onclose?.({ code, reason }));
    }
    // The server's side
    accept(sessionId = 'ws_1') {
      this.readyState = 1;
      this.onopen?.({});
      this.emit({ type: 'session_start', data: { session_id: sessionId } });
    }
    emit(message: WsServerMessage) {
      this.onmessage?.({ data: JSON.stringify(message) });
    }
    drop(code = 1006, reason = '') {
      this.readyState = 3;
      this.onclose?.({ code, reason });
    }
    chats() {
      return this.sent.filter((message) => message.type === 'chat');
    }
  }
  return { sockets, WebSocket: FakeSocket as unknown as RealtimeChatOptions['WebSocket'] };
};

const waitFor = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1));
};

const open = (options: RealtimeChatOptions & { token?: (context: AuthTokenContext) => string } = {}) => {
  const fake = fakeSockets();
  const transport = new Transport({
    baseURL: 'http://api.test/prefix/',
    getAuthToken: options.token ?? (() => 'cks_secret'),
  });
  const chat = new RealtimeChat(transport, {
    WebSocket: fake.WebSocket,
    heartbeatMs: 0,
    reconnect: { initialDelayMs: 1, maxDelayMs: 4 },
    ...options,
  });
  onTestFinished(() => chat.close());
  const socket = async (index: number) => {
    await waitFor(() => fake.sockets.length > index);
    return fake.sockets[index]!;
  };
  return { chat, sockets: fake.sockets, socket };
};

/** The server's whole answer to one chat. */
const answer = (socket: { emit(message: WsServerMessage): void }, id: string, words: string[]) => {
  socket.emit({
    type: 'chat_session_start',
    data: { chat_session_id: id, conversation_id: 'thr_1', message_id: 'msg_1' },
  });
  socket.emit({
    type: 'stage_update',
    data: { chat_session_id: id, stage: 'generation', status: 'started' },
  });
  for (const word of words) {
    socket.emit({ type: 'chunk', data: { chat_session_id: id, content: word, thinking: null, done: false } });
  }
  socket.emit({
    type: 'done',
    data: {
      chat_session_id: id,
      conversation_id: 'thr_1',
      message_id: 'msg_1',
      response: words.join(''),
      provider: 'demo',
      model: 'demo-1',
      usage: { prompt_tokens: 1, completion_tokens: words.length, total_tokens: words.length + 1 },
    },
  });
  socket.emit({ type: 'post_response_complete', data: { chat_session_id: id } });
};

describe('RealtimeChat', () => {
  it('builds the /ws/chat URL from the HTTP base URL, keeping a path prefix', () => {
    expect(realtimeUrl('http://api.test/prefix/').toString()).toBe('ws://api.test/prefix/ws/chat');
    expect(realtimeUrl('https://api.test').toString()).toBe('wss://api.test/ws/chat');
  });

  it('connects with the client secret in access_token and learns the session id', async () => {
    const { chat, socket } = await open();
    const first = await socket(0);
    expect(first.url).toBe('ws://api.test/prefix/ws/chat?access_token=cks_secret');
    expect(chat.state).toBe('connecting');
    first.accept('ws_abc');
    await chat.ready();
    expect(chat.state).toBe('open');
    expect(chat.sessionId).toBe('ws_abc');
  });

  it('sends an API key in the Authorization header under Node, never in the URL', async () => {
    const { socket } = await open({ token: () => 'ck_live_key' });
    const first = await socket(0);
    expect(first.url).toBe('ws://api.test/prefix/ws/chat');
    expect(first.init).toEqual({ headers: { authorization: 'Bearer ck_live_key' } });
  });

  it('yields the messages of a run in order and resolves done with the whole reply', async () => {
    const { chat, socket } = await open();
    const server = await socket(0);
    server.accept();
    const run = chat.send('Hi', { conversation_id: 'thr_1', chat_controls: { temperature: 0.5 } });
    expect(server.chats()).toEqual([
      {
        type: 'chat',
        data: { message: 'Hi', conversation_id: 'thr_1', chat_controls: { temperature: 0.5 } },
      },
    ]);
    answer(server, 'cs_1', ['Hello', ' there']);
    const types: string[] = [];
    for await (const message of run) types.push(message.type);
    expect(types).toEqual([
      'chat_session_start',
      'stage_update',
      'chunk',
      'chunk',
      'done',
      'post_response_complete',
    ]);
    expect(await run.done).toEqual({
      status: 'completed',
      chatSessionId: 'cs_1',
      conversationId: 'thr_1',
      messageId: 'msg_1',
      text: 'Hello there',
      provider: 'demo',
      model: 'demo-1',
      usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
      modules: [],
      stages: [{ stage: 'generation', status: 'started' }],
    });
    expect(run.status).toBe('completed');
  });

  it('tells each stage of a run as it comes, and resolves with what the after-reply modules did', async () => {
    const { chat, socket } = await open();
    const server = await socket(0);
    server.accept();
    const run = chat.send('Will it rain?');
    const perRun: string[] = [];
    const perChat: string[] = [];
    run.onStage(({ stage, status }) => perRun.push(`${stage}:${status}`));
    chat.on('stage', ({ chatSessionId, stage, status }) =>
      perChat.push(`${chatSessionId}:${stage}:${status}`),
    );
    const stage = (name: ChatStage, status: 'started' | 'completed') =>
      server.emit({ type: 'stage_update', data: { chat_session_id: 'cs_1', stage: name, status } });
    server.emit({
      type: 'chat_session_start',
      data: { chat_session_id: 'cs_1', conversation_id: 'thr_1', message_id: 'msg_1' },
    });
    stage('generation', 'started');
    expect(run.stage).toBe('generation');
    stage('generation', 'completed');
    expect(run.stage).toBe(undefined);
    server.emit({
      type: 'done',
      data: {
        chat_session_id: 'cs_1',
        conversation_id: 'thr_1',
        message_id: 'msg_1',
        response: 'Yes.',
        provider: 'demo',
        model: 'demo-1',
      },
    });
    stage('post_response', 'started');
    expect(run.stage).toBe('post_response');
    const report: ModuleRunReport = {
      module_id: 'mod_1',
      name: 'recap',
      type: 'simple',
      stage: 'post_response',
      status: 'failed',
      text: null,
      outputs: {},
      logs: [],
      error: 'runtime: Error: no luck',
      duration_ms: 1.5,
    };
    stage('post_response', 'completed');
    server.emit({
      type: 'post_response_complete',
      data: { chat_session_id: 'cs_1', message_id: 'msg_1', modules: [report] },
    });
    const result = await run.done;
    expect(result.modules).toEqual([report]);
    expect(run.modules).toEqual([report]);
    expect(perRun).toEqual([
      'generation:started',
      'generation:completed',
      'post_response:started',
      'post_response:completed',
    ]);
    expect(result.stages.map(({ stage, status }) => `${stage}:${status}`)).toEqual(perRun);
    expect(perChat).toEqual(perRun.map((update) => `cs_1:${update}`));
  });

  it('cancels the after-reply modules of a run that has its reply', async () => {
    const { chat, socket } = await open();
    const server = await socket(0);
    server.accept();
    const run = chat.send('Hi');
    server.emit({
      type: 'chat_session_start',
      data: { chat_session_id: 'cs_1', conversation_id: 'thr_1', message_id: 'msg_1' },
    });
    server.emit({
      type: 'done',
      data: {
        chat_session_id: 'cs_1',
        conversation_id: 'thr_1',
        message_id: 'msg_1',
        response: 'Hello.',
        provider: 'demo',
        model: 'demo-1',
      },
    });
    server.emit({
      type: 'stage_update',
      data: { chat_session_id: 'cs_1', stage: 'post_response', status: 'started' },
    });
    expect(run.answered).toBe(true);
    run.cancel();
    expect(server.sent.at(-1)).toEqual({ type: 'cancel', session_id: 'cs_1' });
    server.emit({ type: 'cancelled', data: { chat_session_id: 'cs_1', message_id: 'msg_1' } });
    expect(await run.done).toMatchObject({ status: 'cancelled', text: 'Hello.', modules: [] });
  });

  it('fails a run with a RealtimeError when the server answers with error', async () => {
    const { chat, socket } = await open();
    const server = await socket(0);
    server.accept();
    const run = chat.send('x', { conversation_id: 'thr_nope' });
    server.emit({
      type: 'error',
      data: { code: 'THREAD_NOT_FOUND', message: 'Thread thr_nope does not exist', chat_session_id: 'cs_9' },
    });
    const error = await run.done.catch((e: unknown) => e);
    expect(isRealtimeError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'THREAD_NOT_FOUND', chatSessionId: 'cs_9' });
    await expect(
      (async () => {
        for await (const _ of run) {
          // nothing comes before the error
        }
      })(),
    ).rejects.toThrow(/THREAD_NOT_FOUND/);
  });

  it('gives each chat the opening answer meant for it, also when the server cancelled it before it began', async () => {
    const { chat, socket } = await open();
    const server = await socket(0);
    server.accept();
    const first = chat.send('one');
    const second = chat.send('two');
    server.emit({ type: 'cancelled', data: { chat_session_id: 'cs_a' } });
    answer(server, 'cs_b', ['two']);
    expect(await first.done).toMatchObject({ status: 'cancelled', chatSessionId: 'cs_a', text: '' });
    expect(await second.done).toMatchObject({ status: 'completed', chatSessionId: 'cs_b', text: 'two' });
  });

  it('cancels a running run by its session id and resolves it as cancelled with the partial text', async () => {
    const { chat, socket } = await open();
    const server = await socket(0);
    server.accept();
    const run = chat.send('long');
    server.emit({
      type: 'chat_session_start',
      data: { chat_session_id: 'cs_1', conversation_id: 'thr_1', message_id: 'msg_1' },
    });
    server.emit({
      type: 'chunk',
      data: { chat_session_id: 'cs_1', content: 'Once', thinking: null, done: false },
    });
    run.cancel();
    expect(server.sent.at(-1)).toEqual({ type: 'cancel', session_id: 'cs_1' });
    server.emit({ type: 'cancelled', data: { chat_session_id: 'cs_1', message_id: 'msg_1' } });
    expect(await run.done).toMatchObject({ status: 'cancelled', text: 'Once', messageId: 'msg_1' });
  });

  it('cancels the latest run that has not started with a bare cancel', async () => {
    const { chat, socket } = await open();
    const server = await socket(0);
    server.accept();
    chat.send('one');
    const second = chat.send('two');
    second.cancel();
    expect(server.sent.at(-1)).toEqual({ type: 'cancel' });
    chat.cancel();
    expect(server.sent.filter((m) => m.type === 'cancel')).toHaveLength(2);
  });

  it('cancels a queued run without sending it', async () => {
    const { chat, socket } = await open();
    const run = chat.send('never sent');
    expect(chat.queued).toBe(1);
    run.cancel();
    expect(await run.done).toMatchObject({ status: 'cancelled', chatSessionId: undefined });
    const server = await socket(0);
    server.accept();
    expect(server.chats()).toEqual([]);
  });

  it('cancels the run when the loop over it is left early', async () => {
    const { chat, socket } = await open();
    const server = await socket(0);
    server.accept();
    const run = chat.send('long');
    server.emit({
      type: 'chat_session_start',
      data: { chat_session_id: 'cs_1', conversation_id: 'thr_1', message_id: 'msg_1' },
    });
    for await (const message of run) if (message.type === 'chat_session_start') break;
    expect(server.sent.at(-1)).toEqual({ type: 'cancel', session_id: 'cs_1' });
  });

  it('queues messages while disconnected and sends them in order once reconnected', async () => {
    const { chat, socket } = await open();
    const first = await socket(0);
    first.accept();
    const states: RealtimeState[] = [];
    chat.on('state', ({ state }) => states.push(state));
    first.drop();
    expect(chat.state).toBe('reconnecting');
    const a = chat.send('queued a');
    const b = chat.send('queued b');
    expect(chat.queued).toBe(2);
    const second = await socket(1);
    expect(second.chats()).toEqual([]);
    second.accept('ws_2');
    expect(second.chats().map((m) => m.type === 'chat' && m.data.message)).toEqual(['queued a', 'queued b']);
    expect(chat.queued).toBe(0);
    expect(states).toEqual(['reconnecting', 'open']);
    second.emit({ type: 'cancelled', data: { chat_session_id: 'cs_a' } });
    answer(second, 'cs_b', ['b']);
    expect((await a.done).status).toBe('cancelled');
    expect((await b.done).text).toBe('b');
  });

  it('fails the runs that were on the wire when the connection dropped', async () => {
    const { chat, socket } = await open();
    const server = await socket(0);
    server.accept();
    const run = chat.send('lost');
    server.emit({
      type: 'chat_session_start',
      data: { chat_session_id: 'cs_1', conversation_id: 'thr_1', message_id: 'msg_1' },
    });
    server.drop();
    const error = await run.done.catch((e: unknown) => e);
    expect(isAPIConnectionError(error)).toBe(true);
  });

  it('backs off exponentially with jitter and gives up after maxAttempts failures in a row', async () => {
    expect(reconnectDelay(0, DEFAULT_RECONNECT, () => 0)).toBe(250);
    expect(reconnectDelay(0, DEFAULT_RECONNECT, () => 1)).toBe(500);
    expect(reconnectDelay(3, DEFAULT_RECONNECT, () => 1)).toBe(4_000);
    expect(reconnectDelay(10, DEFAULT_RECONNECT, () => 1)).toBe(10_000);

    const { chat, socket, sockets } = await open({
      reconnect: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 2 },
    });
    const attempts: number[] = [];
    const errors: unknown[] = [];
    chat.on('reconnecting', ({ attempt }) => attempts.push(attempt));
    chat.on('error', (error) => errors.push(error));
    const queued = chat.send('waiting');
    for (let i = 0; i < 3; i++) (await socket(i)).drop();
    await waitFor(() => chat.state === 'closed');
    expect(sockets).toHaveLength(3);
    expect(attempts).toEqual([2, 3]);
    expect(errors.some(isAPIConnectionError)).toBe(true);
    expect(isAPIConnectionError(await queued.done.catch((e: unknown) => e))).toBe(true);
    await expect(chat.ready()).rejects.toThrow(/attempts in a row failed/);
  });

  it('asks for a fresh client secret after a refused attempt or an expired secret', async () => {
    const asked: boolean[] = [];
    const { socket } = await open({
      token: ({ force }) => {
        asked.push(force);
        return `cks_${asked.length}`;
      },
    });
    (await socket(0)).drop();
    const second = await socket(1);
    expect(second.url).toContain('access_token=cks_2');
    second.accept();
    second.drop(4401, 'The client secret has expired');
    const third = await socket(2);
    expect(third.url).toContain('access_token=cks_3');
    third.accept();
    third.drop(1001);
    await socket(3);
    expect(asked).toEqual([false, true, true, false]);
  });

  it('drops a connection whose heartbeat goes unanswered and reconnects', async () => {
    const { chat, socket } = await open({ heartbeatMs: 2, heartbeatTimeoutMs: 5 });
    const first = await socket(0);
    first.accept();
    const closes: number[] = [];
    chat.on('close', ({ code }) => closes.push(code));
    await waitFor(() => first.sent.some((m) => m.type === 'ping'));
    const second = await socket(1);
    expect(first.closedWith).toBe(4000);
    expect(closes).toEqual([1006]);
    second.accept();
    expect(chat.state).toBe('open');
  });

  it('keeps a connection whose heartbeat is answered', async () => {
    const { chat, socket, sockets } = await open({ heartbeatMs: 2, heartbeatTimeoutMs: 50 });
    const server = await socket(0);
    server.accept();
    let pings = 0;
    while (pings < 5) {
      await waitFor(() => server.sent.filter((m) => m.type === 'ping').length > pings);
      pings++;
      server.emit({ type: 'pong' });
    }
    expect(sockets).toHaveLength(1);
    expect(chat.state).toBe('open');
  });

  it('close() fails what is left with APIUserAbortError and stops reconnecting', async () => {
    const { chat, socket, sockets } = await open();
    const server = await socket(0);
    server.accept();
    const running = chat.send('running');
    chat.close();
    expect(server.closedWith).toBe(1000);
    expect(chat.state).toBe('closed');
    expect(isAPIUserAbortError(await running.done.catch((e: unknown) => e))).toBe(true);
    const late = chat.send('late');
    expect(isAPIConnectionError(await late.done.catch((e: unknown) => e))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(sockets).toHaveLength(1);
  });

  it('reports an error message that belongs to no run as an error event', async () => {
    const { chat, socket } = await open();
    const server = await socket(0);
    server.accept();
    const errors: unknown[] = [];
    chat.on('error', (error) => errors.push(error));
    server.emit({
      type: 'error',
      data: { code: 'VALIDATION_ERROR', message: 'The message is not valid JSON' },
    });
    server.onmessage?.({ data: '{"type":"mystery"}' });
    expect(errors).toHaveLength(2);
    expect(isRealtimeError(errors[0])).toBe(true);
  });

  it('refuses a chat message that breaks the contract', async () => {
    const { chat } = await open();
    expect(() => chat.send('')).toThrow(TypeError);
  });

  it('closes when its signal aborts', async () => {
    const controller = new AbortController();
    const { chat, socket } = await open({ signal: controller.signal });
    (await socket(0)).accept();
    controller.abort();
    expect(chat.state).toBe('closed');
  });
});
