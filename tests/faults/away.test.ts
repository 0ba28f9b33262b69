/**
 * A client away from a reply for longer than a connection survives: behind a proxy that drops idle
 * connections, after leaving and coming back, and after staying away past the server's grace period.
 * Outcomes only: nothing here asserts how long anything took.
 */
import { CartritaClient, type ChatStream, type ChatStreamEvent } from '@cartrita/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../reference-server/src/testing.js';
import { startProxy, type TcpProxy } from './proxy.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Starts a server with settings such as `SSE_HEARTBEAT_MS` and `RESUME_GRACE_MS`. */
const serve = async (env: Record<string, string>): Promise<TestServer> => {
  const server = await startTestServer({ env });
  cleanups.push(() => server.close());
  return server;
};

const proxied = async (server: TestServer, idleTimeoutMs: number): Promise<TcpProxy> => {
  const proxy = await startProxy({ target: server.url, idleTimeoutMs });
  cleanups.push(() => proxy.close());
  return proxy;
};

const secretFor = async (url: string) =>
  (await new CartritaClient({ baseURL: url }).chatkit.createSession()).client_secret;

const collect = async (stream: ChatStream) => {
  const ids: string[] = [];
  const frames: ChatStreamEvent[] = [];
  for await (const frame of stream) {
    ids.push(stream.lastEventId ?? '');
    frames.push(frame);
  }
  return { ids, frames };
};

const numbered = (responseId: string, count: number, from = 1) =>
  Array.from({ length: count }, (_, index) => `${responseId}:${index + from}`);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a client away from its reply', () => {
  it('resumes through a proxy that drops connections idle longer than its timeout', async () => {
    // `/progress` is silent for ten token paces between its steps: 400 ms here, against a 150 ms proxy
    // timeout, and no heartbeat comes in time to keep the connection busy.
    const server = await serve({ DEMO_PACE_MS: '40', SSE_HEARTBEAT_MS: '60000' });
    const secret = await secretFor(server.url);
    const reference = await collect(
      await new CartritaClient({ baseURL: server.url, clientSecret: secret }).chat.stream({
        message: '/progress',
      }),
    );
    const proxy = await proxied(server, 150);
    const client = new CartritaClient({ baseURL: proxy.url, clientSecret: secret });
    const stream = await client.chat.stream(
      { message: '/progress' },
      { reconnectDelay: 20, maxReconnects: 10 },
    );
    const got = await collect(stream);
    expect(proxy.idleDrops, 'the proxy dropped idle connections').toBeGreaterThan(0);
    expect(stream.reconnects).toBeGreaterThan(0);
    expect(got.ids).toEqual(numbered(stream.responseId, reference.frames.length));
    expect(got.frames.map((frame) => frame.type)).toEqual(reference.frames.map((frame) => frame.type));
    expect(got.frames.filter((frame) => frame.type === 'progress')).toHaveLength(3);
    expect(stream.text).toBe('All three steps are done.');
  });

  it('needs no reconnect behind the same proxy when heartbeats keep the connection busy', async () => {
    const server = await serve({ DEMO_PACE_MS: '40', SSE_HEARTBEAT_MS: '20' });
    const proxy = await proxied(server, 150);
    const client = new CartritaClient({ baseURL: proxy.url, clientSecret: await secretFor(server.url) });
    const stream = await client.chat.stream({ message: '/progress' });
    const got = await collect(stream);
    expect(proxy.idleDrops).toBe(0);
    expect(stream.reconnects).toBe(0);
    expect(got.frames.at(-1)).toMatchObject({ type: 'done', response: 'All three steps are done.' });
  });

  it('gets the rest after leaving and coming back while the reply ran on', async () => {
    const server = await serve({ DEMO_PACE_MS: '5' });
    const client = new CartritaClient({ baseURL: server.url, clientSecret: await secretFor(server.url) });
    const prompt = 'Keep going while I am away.';
    const reference = await (await client.chat.stream({ message: prompt })).finalResponse();

    const stream = await client.chat.stream({ message: prompt });
    const before: ChatStreamEvent[] = [];
    let from = '';
    for await (const frame of stream) {
      before.push(frame);
      if (before.length === 4) from = stream.detach();
    }
    // Away for longer than the whole reply takes: it finishes without anyone listening.
    await sleep(1_000);
    const resumed = await client.chat.resume(from);
    const after = await collect(resumed);
    expect(after.ids).toEqual(numbered(stream.responseId, after.ids.length, 5));
    expect(stream.text + resumed.text).toBe(reference.response);
    expect(after.frames.at(-1)).toMatchObject({
      type: 'done',
      response: reference.response,
      finish_reason: 'stop',
    });
  });

  it('finds the reply cancelled, its frames kept, after staying away past the grace period', async () => {
    const server = await serve({ DEMO_PACE_MS: '20', RESUME_GRACE_MS: '200' });
    const client = new CartritaClient({ baseURL: server.url, clientSecret: await secretFor(server.url) });
    // `/slow` takes 400 ms a token here: far longer than the 200 ms the server waits for a listener.
    const stream = await client.chat.stream({ message: '/slow' });
    let from = '';
    let count = 0;
    for await (const frame of stream) {
      count++;
      if (frame.type === 'chunk') from = stream.detach();
    }
    await sleep(1_000);
    const resumed = await client.chat.resume(from);
    const after = await collect(resumed);
    expect(after.ids).toEqual(numbered(stream.responseId, after.ids.length, count + 1));
    const done = after.frames.at(-1);
    expect(done).toMatchObject({ type: 'done', finish_reason: 'cancelled' });
    expect(done?.type === 'done' && done.response).toBe(stream.text + resumed.text);
    const conversation = stream.start?.conversation_id as string;
    const items = await client.chatkit.items.list({ thread_id: conversation, order: 'asc' });
    expect(items.data.map((item) => item.type)).toEqual(['user_message', 'assistant_message']);
  });
});
