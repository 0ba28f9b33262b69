import { request } from 'node:http';
import { ErrorEnvelope, WsServerMessage } from '@cartrita/contracts';
import { describe, expect, it, onTestFinished } from 'vitest';
import { WebSocket as WsClient } from 'ws';
import { startTestServer, type TestServer, type TestServerOptions } from '../testing.js';

const useServer = async (options: TestServerOptions = {}): Promise<TestServer> => {
  const server = await startTestServer(options);
  onTestFinished(() => server.close());
  return server;
};

const createSecret = async (url: string): Promise<string> => {
  const res = await fetch(`${url}/api/chatkit/session`, { method: 'POST' });
  return ((await res.json()) as { client_secret: string }).client_secret;
};

const wsUrl = (url: string, secret?: string) =>
  `${url.replace(/^http/, 'ws')}/ws/chat${secret ? `?access_token=${encodeURIComponent(secret)}` : ''}`;

/** A socket whose messages are validated and queued, read with `next`. */
const connect = async (url: string, secret: string) => {
  const socket = new WebSocket(wsUrl(url, secret));
  const inbox: WsServerMessage[] = [];
  const waiters: (() => void)[] = [];
  let closed: { code: number; reason: string } | undefined;
  socket.addEventListener('message', (event) => {
    inbox.push(WsServerMessage.parse(JSON.parse(String(event.data))));
    for (const wake of waiters.splice(0)) wake();
  });
  socket.addEventListener('close', (event) => {
    closed = { code: event.code, reason: event.reason };
    for (const wake of waiters.splice(0)) wake();
  });
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error('the socket did not open')), { once: true });
  });
  onTestFinished(() => socket.close());
  const wait = () => new Promise<void>((resolve) => waiters.push(resolve));
  return {
    socket,
    send: (message: unknown) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    /** The next message (of a type, when given), skipping others. */
    async next<T extends WsServerMessage['type']>(type?: T): Promise<Extract<WsServerMessage, { type: T }>> {
      for (;;) {
        const index =
          type === undefined ? (inbox.length > 0 ? 0 : -1) : inbox.findIndex((m) => m.type === type);
        if (index >= 0) return inbox.splice(0, index + 1).at(-1) as Extract<WsServerMessage, { type: T }>;
        if (closed) throw new Error(`the socket closed (${closed.code}) before a ${type ?? 'message'} came`);
        await wait();
      }
    },
    /** Every message up to and including the first of `type`. */
    async until(type: WsServerMessage['type']): Promise<WsServerMessage[]> {
      for (;;) {
        const index = inbox.findIndex((m) => m.type === type);
        if (index >= 0) return inbox.splice(0, index + 1);
        if (closed) throw new Error(`the socket closed (${closed.code}) before a ${type} came`);
        await wait();
      }
    },
    async closedWith(): Promise<{ code: number; reason: string }> {
      while (!closed) await wait();
      return closed;
    },
  };
};

/** Sends an upgrade request by hand and reports the status the server answered with. */
const upgrade = (url: string, path: string, headers: Record<string, string> = {}) =>
  new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>(
    (resolve, reject) => {
      const req = request(`${url}${path}`, {
        headers: {
          Connection: 'Upgrade',
          Upgrade: 'websocket',
          'Sec-WebSocket-Version': '13',
          'Sec-WebSocket-Key': Buffer.from('0123456789abcdef').toString('base64'),
          ...headers,
        },
      });
      req.on('upgrade', (res, socket) => {
        socket.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
      });
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    },
  );

const chatkit = async (url: string, secret: string, body: unknown) =>
  (
    await fetch(`${url}/chatkit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body: JSON.stringify(body),
    })
  ).json();

/** Polls the thread until it holds an assistant message (its saving follows the reply's end). */
const assistantItems = async (url: string, secret: string, threadId: string) => {
  for (;;) {
    const page = (await chatkit(url, secret, {
      type: 'items.list',
      params: { thread_id: threadId, order: 'asc' },
    })) as { data: { type: string; id: string; content?: { text: string }[] }[] };
    const assistants = page.data.filter((item) => item.type === 'assistant_message');
    if (assistants.length > 0) return { items: page.data, assistants };
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

const describeMessage = (message: WsServerMessage): string =>
  message.type === 'stage_update' ? `stage:${message.data.stage}:${message.data.status}` : message.type;

describe('/ws/chat', () => {
  it('sends session_start, then every message of a chat in the order of seed 003', async () => {
    const { url } = await useServer({ env: { DEMO_PACE_MS: '1' } });
    const secret = await createSecret(url);
    const client = await connect(url, secret);
    const hello = await client.next('session_start');
    expect(hello.data.session_id).toMatch(/^ws_/);

    client.send({ type: 'chat', data: { message: 'Hello over a socket' } });
    const messages = await client.until('post_response_complete');
    const order = messages
      .map(describeMessage)
      .filter((type, i, all) => type !== 'chunk' || all[i - 1] !== 'chunk');
    expect(order).toEqual([
      'chat_session_start',
      'stage:prompt_resolution:started',
      'stage:prompt_resolution:completed',
      'stage:context:started',
      'stage:context:completed',
      'stage:generation:started',
      'chunk',
      'stage:generation:completed',
      'done',
      'stage:post_response:started',
      'stage:post_response:completed',
      'post_response_complete',
    ]);
    const start = messages[0] as Extract<WsServerMessage, { type: 'chat_session_start' }>;
    const id = start.data.chat_session_id;
    expect(id).toMatch(/^cs_/);
    expect(
      messages.every(
        (m) => m.type === 'pong' || (m.data as { chat_session_id: string }).chat_session_id === id,
      ),
    ).toBe(true);
    const chunks = messages.flatMap((m) => (m.type === 'chunk' ? [m] : []));
    expect(chunks.every((m) => m.data.thinking === null && m.data.done === false)).toBe(true);
    const done = messages.find((m) => m.type === 'done') as Extract<WsServerMessage, { type: 'done' }>;
    expect(done.data).toMatchObject({
      conversation_id: start.data.conversation_id,
      message_id: start.data.message_id,
      provider: 'demo',
      model: 'demo-1',
      usage: { total_tokens: expect.any(Number) },
    });
    expect(done.data.response).toBe(chunks.map((m) => m.data.content).join(''));
    expect(done.data.response).toContain('Hello over a socket');

    const { items, assistants } = await assistantItems(url, secret, start.data.conversation_id);
    expect(items.map((item) => item.type)).toEqual(['user_message', 'assistant_message']);
    expect(assistants[0]?.id).toBe(start.data.message_id);
    expect(assistants[0]?.content?.[0]?.text).toBe(done.data.response);
  });

  it('continues a conversation named by conversation_id', async () => {
    const { url } = await useServer();
    const secret = await createSecret(url);
    const client = await connect(url, secret);
    client.send({ type: 'chat', data: { message: 'First' } });
    const first = await client.next('chat_session_start');
    await client.next('post_response_complete');
    client.send({ type: 'chat', data: { message: 'Second', conversation_id: first.data.conversation_id } });
    const second = await client.next('chat_session_start');
    expect(second.data.conversation_id).toBe(first.data.conversation_id);
    await client.next('post_response_complete');
    const page = (await chatkit(url, secret, {
      type: 'items.list',
      params: { thread_id: first.data.conversation_id, order: 'asc' },
    })) as { data: { type: string }[] };
    expect(page.data.map((item) => item.type)).toEqual([
      'user_message',
      'assistant_message',
      'user_message',
      'assistant_message',
    ]);
  });

  it('cancels a reply mid-stream, answers cancelled and keeps the partial reply', async () => {
    const { url, running } = await useServer({ env: { DEMO_PACE_MS: '5' } });
    const secret = await createSecret(url);
    const client = await connect(url, secret);
    client.send({ type: 'chat', data: { message: '/slow please' } });
    const start = await client.next('chat_session_start');
    await client.next('chunk');
    await client.next('chunk');
    client.send({ type: 'cancel' });
    client.send({ type: 'ping' });
    const cancelled = await client.next('cancelled');
    expect(cancelled.data).toEqual({
      chat_session_id: start.data.chat_session_id,
      message_id: start.data.message_id,
    });
    // Nothing of the cancelled chat comes between `cancelled` and the answer to the ping sent after it.
    expect(await client.next()).toEqual({ type: 'pong' });

    const { items, assistants } = await assistantItems(url, secret, start.data.conversation_id);
    expect(assistants[0]?.id).toBe(start.data.message_id);
    const partial = assistants[0]?.content?.[0]?.text ?? '';
    expect(partial.length).toBeGreaterThan(0);
    expect(items.map((item) => item.type)).toEqual(['user_message', 'assistant_message']);
    while (running.context.engine.chat.running > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  });

  it('cancels the running chat when a new chat arrives', async () => {
    const { url } = await useServer({ env: { DEMO_PACE_MS: '5' } });
    const secret = await createSecret(url);
    const client = await connect(url, secret);
    client.send({ type: 'chat', data: { message: '/slow first' } });
    const first = await client.next('chat_session_start');
    await client.next('chunk');
    client.send({ type: 'chat', data: { message: 'second', conversation_id: first.data.conversation_id } });
    const cancelled = await client.next('cancelled');
    expect(cancelled.data.chat_session_id).toBe(first.data.chat_session_id);
    const second = await client.next('chat_session_start');
    expect(second.data.chat_session_id).not.toBe(first.data.chat_session_id);
    const done = await client.next('done');
    expect(done.data.chat_session_id).toBe(second.data.chat_session_id);
    await client.next('post_response_complete');
    const { items } = await assistantItems(url, secret, first.data.conversation_id);
    expect(items.map((item) => item.type)).toEqual([
      'user_message',
      'assistant_message',
      'user_message',
      'assistant_message',
    ]);
  });

  it('cancels a chat that has not started yet without running it, answering each chat in order', async () => {
    const { url } = await useServer({ env: { DEMO_PACE_MS: '5' } });
    const secret = await createSecret(url);
    const client = await connect(url, secret);
    client.send({ type: 'chat', data: { message: '/slow one' } });
    client.send({ type: 'chat', data: { message: '' } });
    client.send({ type: 'chat', data: { message: '/slow two' } });
    client.send({ type: 'chat', data: { message: 'three' } });
    const messages = await client.until('post_response_complete');
    const order = messages.filter((m) => m.type !== 'chunk' && m.type !== 'stage_update').map((m) => m.type);
    expect(order).toEqual([
      'session_start',
      'cancelled',
      'error',
      'cancelled',
      'chat_session_start',
      'done',
      'post_response_complete',
    ]);
    const cancels = messages.filter((m) => m.type === 'cancelled');
    expect(cancels.every((m) => m.type === 'cancelled' && m.data.message_id === undefined)).toBe(true);
    const start = messages.find((m) => m.type === 'chat_session_start');
    const { items } = await assistantItems(
      url,
      secret,
      (start as { data: { conversation_id: string } }).data.conversation_id,
    );
    expect(items.map((item) => item.type)).toEqual(['user_message', 'assistant_message']);
  });

  it('cancels by session_id and answers a cancel with nothing running with an error', async () => {
    const { url } = await useServer({ env: { DEMO_PACE_MS: '5' } });
    const client = await connect(url, await createSecret(url));
    client.send({ type: 'cancel' });
    expect((await client.next('error')).data).toMatchObject({ code: 'NOT_FOUND' });
    client.send({ type: 'chat', data: { message: '/slow' } });
    const start = await client.next('chat_session_start');
    client.send({ type: 'cancel', session_id: 'cs_unknown' });
    expect((await client.next('error')).data).toMatchObject({
      code: 'NOT_FOUND',
      chat_session_id: 'cs_unknown',
    });
    client.send({ type: 'cancel', session_id: start.data.chat_session_id });
    expect((await client.next('cancelled')).data.chat_session_id).toBe(start.data.chat_session_id);
  });

  it('answers ping with pong and echoes its data', async () => {
    const { url } = await useServer();
    const client = await connect(url, await createSecret(url));
    await client.next('session_start');
    client.send({ type: 'ping' });
    expect(await client.next()).toEqual({ type: 'pong' });
    client.send({ type: 'ping', data: { t: 42 } });
    expect(await client.next()).toEqual({ type: 'pong', data: { t: 42 } });
  });

  it('answers malformed JSON with a VALIDATION_ERROR and keeps the socket usable', async () => {
    const { url } = await useServer();
    const client = await connect(url, await createSecret(url));
    await client.next('session_start');
    client.send('{"type": "chat", ');
    const error = await client.next();
    expect(error).toMatchObject({ type: 'error', data: { code: 'VALIDATION_ERROR' } });
    expect(error.type === 'error' && error.data.message).toMatch(/not valid JSON/);
    client.send({ type: 'ping' });
    expect(await client.next()).toEqual({ type: 'pong' });
  });

  it('answers a schema-invalid message with an error that names the field', async () => {
    const { url } = await useServer();
    const client = await connect(url, await createSecret(url));
    await client.next('session_start');
    client.send({ type: 'chat', data: { message: '' } });
    const empty = await client.next();
    expect(empty).toMatchObject({
      type: 'error',
      data: { code: 'VALIDATION_ERROR', chat_session_id: expect.stringMatching(/^cs_/) },
    });
    expect(empty.type === 'error' && empty.data.message).toMatch(/data\.message/);
    client.send({ type: 'shout' });
    const unknown = await client.next();
    expect(unknown.type === 'error' && unknown.data.message).toMatch(
      /type must be one of chat, cancel, ping/,
    );
    expect(unknown.type === 'error' && unknown.data.chat_session_id).toBeUndefined();
    client.socket.send(new Uint8Array([1, 2, 3]));
    expect(await client.next()).toMatchObject({ type: 'error', data: { code: 'VALIDATION_ERROR' } });
    client.send({ type: 'chat', data: { message: 'still here' } });
    expect((await client.next('done')).data.response).toContain('still here');
  });

  it('answers a chat in an unknown conversation with an error for that chat', async () => {
    const { url } = await useServer();
    const client = await connect(url, await createSecret(url));
    client.send({ type: 'chat', data: { message: 'x', conversation_id: 'thr_nope' } });
    const error = await client.next('error');
    expect(error.data).toMatchObject({
      code: 'THREAD_NOT_FOUND',
      chat_session_id: expect.stringMatching(/^cs_/),
    });
    client.send({ type: 'chat', data: { message: 'x', provider: 'openai' } });
    expect((await client.next('error')).data.code).toBe('PROVIDER_NOT_CONFIGURED');
  });

  it('refuses a missing or bad credential with 401 before the upgrade', async () => {
    const { url, apiKey } = await useServer();
    const none = await upgrade(url, '/ws/chat');
    expect(none.status).toBe(401);
    expect(ErrorEnvelope.parse(JSON.parse(none.body)).error.code).toBe('UNAUTHORIZED');
    const bad = await upgrade(url, '/ws/chat?access_token=cks_forged.secret');
    expect(bad.status).toBe(401);
    expect(bad.headers['www-authenticate']).toMatch(/invalid_token/);
    expect(bad.headers['x-request-id']).toMatch(/^req_/);
    const keyInQuery = await upgrade(url, `/ws/chat?access_token=${apiKey}`);
    expect(keyInQuery.status).toBe(401);
    expect((await upgrade(url, '/ws/chat', { Authorization: `Bearer ${apiKey}` })).status).toBe(101);
    const secret = await createSecret(url);
    expect((await upgrade(url, '/ws/chat', { Authorization: `Bearer ${secret}` })).status).toBe(101);
    expect((await upgrade(url, `/ws/chat?access_token=${secret}`)).status).toBe(101);
  });

  it('refuses a browser Origin that is not allowed with 403', async () => {
    const { url } = await useServer();
    const secret = await createSecret(url);
    const evil = await upgrade(url, `/ws/chat?access_token=${secret}`, { Origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect(ErrorEnvelope.parse(JSON.parse(evil.body)).error.code).toBe('FORBIDDEN');
    expect((await upgrade(url, `/ws/chat?access_token=${secret}`, { Origin: url })).status).toBe(101);
    const listed = await upgrade(url, `/ws/chat?access_token=${secret}`, { Origin: 'http://localhost:3000' });
    expect(listed.status).toBe(101);
  });

  it('refuses the 11th connection of a minute from one address with 429 and Retry-After', async () => {
    const { url } = await useServer({ env: { WS_CONNECTIONS_PER_MINUTE: '10' } });
    const secret = await createSecret(url);
    for (let i = 0; i < 10; i++) {
      expect((await upgrade(url, `/ws/chat?access_token=${secret}`)).status).toBe(101);
    }
    const limited = await upgrade(url, `/ws/chat?access_token=${secret}`);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(ErrorEnvelope.parse(JSON.parse(limited.body)).error.code).toBe('RATE_LIMITED');
  });

  it('takes the connection limit from WS_CONNECTIONS_PER_MINUTE', async () => {
    const { url } = await useServer({ env: { WS_CONNECTIONS_PER_MINUTE: '2' } });
    const secret = await createSecret(url);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await upgrade(url, `/ws/chat?access_token=${secret}`)).status);
    expect(statuses).toEqual([101, 101, 429]);
  });

  it('answers an upgrade to a path no socket serves with 404 (`/ws/{client_id}` takes one segment)', async () => {
    const { url } = await useServer();
    const res = await upgrade(url, '/ws/other/path');
    expect(res.status).toBe(404);
    expect(ErrorEnvelope.parse(JSON.parse(res.body)).error.code).toBe('NOT_FOUND');
  });

  it('terminates a peer that stops answering pings and cancels its chat', async () => {
    const { url, running } = await useServer({ env: { DEMO_PACE_MS: '5', WS_HEARTBEAT_MS: '50' } });
    const secret = await createSecret(url);
    const peer = new WsClient(wsUrl(url, secret), { autoPong: false });
    onTestFinished(() => peer.terminate());
    const received: string[] = [];
    peer.on('message', (data) => received.push(JSON.parse(String(data)).type));
    await new Promise((resolve) => peer.once('open', resolve));
    peer.send(JSON.stringify({ type: 'chat', data: { message: '/slow' } }));
    const code = await new Promise<number>((resolve) => peer.once('close', resolve));
    expect(code).toBe(1006);
    expect(received).toContain('chat_session_start');
    while (running.context.engine.chat.running > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(running.context.engine.chat.running).toBe(0);
  });

  it('keeps a peer that answers pings', async () => {
    // Several heartbeats pass; each is answered (by the WebSocket client's automatic pong).
    const { url } = await useServer({ env: { WS_HEARTBEAT_MS: '100' } });
    const client = await connect(url, await createSecret(url));
    await client.next('session_start');
    await new Promise((resolve) => setTimeout(resolve, 600));
    client.send({ type: 'ping' });
    expect(await client.next()).toEqual({ type: 'pong' });
  });

  it('cancels the running chat when the client closes the socket', async () => {
    const { url, running } = await useServer({ env: { DEMO_PACE_MS: '5' } });
    const secret = await createSecret(url);
    const client = await connect(url, secret);
    client.send({ type: 'chat', data: { message: '/slow' } });
    const start = await client.next('chat_session_start');
    await client.next('chunk');
    client.socket.close();
    const { assistants } = await assistantItems(url, secret, start.data.conversation_id);
    expect(assistants[0]?.content?.[0]?.text.length).toBeGreaterThan(0);
    while (running.context.engine.chat.running > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  });

  it('closes every socket with 1001 when the server stops', async () => {
    const server = await startTestServer({ env: { DEMO_PACE_MS: '5' } });
    const client = await connect(server.url, await createSecret(server.url));
    client.send({ type: 'chat', data: { message: '/slow' } });
    await client.next('chunk');
    await server.close();
    expect((await client.closedWith()).code).toBe(1001);
  });
});
