import { cutStreamAfter, stallStreamAfter, status } from '@cartrita/msw';
import { setupCartritaServer } from '@cartrita/msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CartritaClient } from '../client.js';
import {
  isAPIConnectionError,
  isAPITimeoutError,
  isAPIUserAbortError,
  isNotFoundError,
  isStreamError,
} from '../core/errors.js';
import type { ReconnectEvent } from '../core/resumable-stream.js';
import { ChatReplyError, type ChatStream, type ChatStreamEvent } from './chat.js';

const baseURL = 'http://cartrita.test';
const mock = setupCartritaServer({ baseURL });
/** A reply as the mock keeps it, whoever it belongs to. */
const storedReply = (id: string) => mock.store.repositories.chat.responses.find(id);

beforeAll(() => mock.listen({ onUnhandledFrame: 'error' }));
afterEach(() => mock.reset());
afterAll(() => mock.close());

const client = async (options: { idleTimeout?: number } = {}) => {
  const { client_secret } = await new CartritaClient({ baseURL }).chatkit.createSession();
  return new CartritaClient({ baseURL, clientSecret: client_secret, ...options });
};

/** Reads a stream to its end, keeping each frame with the id the stream reported for it. */
const collect = async (stream: ChatStream) => {
  const seen: { id: string | undefined; frame: ChatStreamEvent }[] = [];
  for await (const frame of stream) seen.push({ id: stream.lastEventId, frame });
  return seen;
};

const idsOf = (seen: { id: string | undefined }[]) => seen.map((entry) => entry.id);
const numbered = (responseId: string, count: number, from = 1) =>
  Array.from({ length: count }, (_, index) => `${responseId}:${index + from}`);
const chunkText = (seen: { frame: ChatStreamEvent }[]) =>
  seen.map(({ frame }) => (frame.type === 'chunk' ? frame.content : '')).join('');

const reply =
  'The quick brown fox jumps over the lazy dog, twice: the quick brown fox jumps over the lazy dog.';

describe('client.chat.create', () => {
  it('answers the whole reply and continues the conversation', async () => {
    const chat = await client();
    mock.store.respondWith('First answer', 'Second answer');
    const first = await chat.chat.create({ message: 'Hi' });
    expect(first).toMatchObject({ response: 'First answer', provider: 'demo', model: 'demo-1' });
    const second = await chat.chat.create({ message: 'Again', conversation_id: first.conversation_id });
    expect(second).toMatchObject({ response: 'Second answer', conversation_id: first.conversation_id });
  });
});

describe('client.chat.stream', () => {
  it('yields start, chunks and done, and knows its response id before the loop', async () => {
    const chat = await client();
    mock.store.respondWith(reply);
    const stream = await chat.chat.stream({ message: 'Fox?' });
    const responseId = stream.responseId;
    expect(responseId).toMatch(/^resp_[0-9a-f]{16}$/);
    const seen = await collect(stream);
    expect(idsOf(seen)).toEqual(numbered(responseId, seen.length));
    expect(seen[0]?.frame).toMatchObject({ type: 'start', response_id: responseId });
    expect(stream.start?.conversation_id).toMatch(/^thr_/);
    expect(stream.text).toBe(reply);
    expect(stream.finalFrame).toMatchObject({ type: 'done', response: reply });
    expect(stream.reconnects).toBe(0);
    expect(await stream.finalResponse()).toMatchObject({
      response: reply,
      provider: 'demo',
      model: 'demo-1',
      finish_reason: 'stop',
      conversation_id: stream.start?.conversation_id,
    });
  });

  it('resumes transparently after the connection is cut, at every point of the reply', async () => {
    const chat = await client();
    mock.store.respondWith(reply);
    const whole = await collect(await chat.chat.stream({ message: 'Reference' }));
    for (let cut = 1; cut < whole.length; cut++) {
      mock.store.respondWith(reply);
      mock.scenarios.use(cutStreamAfter(cut), { route: 'chat.stream', once: true });
      const reconnects: ReconnectEvent[] = [];
      const stream = await chat.chat.stream(
        { message: 'Reference' },
        { onReconnect: (event) => reconnects.push(event) },
      );
      const seen = await collect(stream);
      expect(idsOf(seen), `cut after ${cut}`).toEqual(numbered(stream.responseId, whole.length));
      expect(stream.text).toBe(reply);
      expect(chunkText(seen)).toBe(reply);
      expect(reconnects.map((event) => [event.attempt, event.lastEventId, event.delayMs])).toEqual([
        [1, `${stream.responseId}:${cut}`, 0],
      ]);
      expect(isAPIConnectionError(reconnects[0]?.error)).toBe(true);
    }
  });

  it('resumes through several cuts and failed reconnects in a row', async () => {
    const chat = await client();
    mock.store.respondWith(reply);
    mock.scenarios.use(cutStreamAfter(2), { route: 'chat.stream', times: 4 });
    const stream = await chat.chat.stream({ message: 'Cut often' }, { reconnectDelay: 1 });
    mock.scenarios.use(status(503), { route: 'chat.stream', times: 2 });
    const seen = await collect(stream);
    expect(idsOf(seen)).toEqual(numbered(stream.responseId, seen.length));
    expect(stream.text).toBe(reply);
    // Four cuts (the first connection and three reconnects) and two refused reconnects.
    expect(stream.reconnects).toBe(6);
  });

  it('reconnects when the stream stalls past the idle timeout', async () => {
    const chat = await client({ idleTimeout: 40 });
    mock.store.respondWith(reply);
    mock.scenarios.use(stallStreamAfter(3), { route: 'chat.stream', once: true });
    const reconnects: ReconnectEvent[] = [];
    const stream = await chat.chat.stream({ message: 'Stall' }, { onReconnect: (e) => reconnects.push(e) });
    const seen = await collect(stream);
    expect(idsOf(seen)).toEqual(numbered(stream.responseId, seen.length));
    expect(stream.text).toBe(reply);
    expect(isAPITimeoutError(reconnects[0]?.error) && reconnects[0].error.kind).toBe('idle');
  });

  it('gives up after maxReconnects reconnects that bring nothing new', async () => {
    const chat = await client();
    mock.store.respondWith(reply);
    mock.scenarios.use(cutStreamAfter(0), { route: 'chat.stream' });
    mock.scenarios.use(cutStreamAfter(3), { route: 'chat.stream', once: true });
    const stream = await chat.chat.stream({ message: 'Doomed' }, { maxReconnects: 3, reconnectDelay: 1 });
    const seen: ChatStreamEvent[] = [];
    const error = await (async () => {
      for await (const frame of stream) seen.push(frame);
    })().catch((e: unknown) => e);
    expect(isAPIConnectionError(error)).toBe(true);
    expect(seen).toHaveLength(3);
    expect(stream.reconnects).toBe(3);
  });

  it('does not retry a reconnect the server refuses with 404', async () => {
    const chat = await client();
    mock.store.respondWith(reply);
    mock.scenarios.use(cutStreamAfter(3), { route: 'chat.stream', once: true });
    const stream = await chat.chat.stream({ message: 'Gone' });
    mock.scenarios.use(status(404), { route: 'chat.stream', once: true });
    const error = await collect(stream).catch((e: unknown) => e);
    expect(isNotFoundError(error)).toBe(true);
    expect(stream.reconnects).toBe(1);
  });

  it('ends at the total deadline even while reconnecting', async () => {
    const chat = await client({ idleTimeout: 20 });
    mock.store.respondWith(reply);
    mock.scenarios.use(stallStreamAfter(1), { route: 'chat.stream' });
    const stream = await chat.chat.stream({ message: 'Slowly' }, { totalTimeout: 300, maxReconnects: 1000 });
    const error = await collect(stream).catch((e: unknown) => e);
    expect(isAPITimeoutError(error)).toBe(true);
  });

  it('stops with APIUserAbortError when the caller’s signal aborts, leaving the reply running', async () => {
    const chat = await client();
    const controller = new AbortController();
    const stream = await chat.chat.stream({ message: '/slow' }, { signal: controller.signal });
    const error = await (async () => {
      for await (const frame of stream) if (frame.type === 'chunk') controller.abort();
    })().catch((e: unknown) => e);
    expect(isAPIUserAbortError(error)).toBe(true);
    expect(storedReply(stream.responseId)?.status).toBe('running');
  });

  it('abort() stops the loop quietly and cancels the reply on the server', async () => {
    const chat = await client();
    const stream = await chat.chat.stream({ message: '/slow' });
    let answer: unknown;
    for await (const frame of stream) if (frame.type === 'chunk') answer = await stream.abort();
    expect(answer).toEqual({ response_id: stream.responseId, status: 'cancelled' });
    await expect.poll(() => storedReply(stream.responseId)?.status).toBe('cancelled');
    await expect(stream.finalResponse()).rejects.toSatisfy(isStreamError);
  });

  it('breaking out of the loop cancels the reply too', async () => {
    const chat = await client();
    const stream = await chat.chat.stream({ message: '/slow' });
    for await (const frame of stream) if (frame.type === 'chunk') break;
    await expect.poll(() => storedReply(stream.responseId)?.status).toBe('cancelled');
  });

  it('detach() keeps the reply, and resume() from its id delivers the rest once', async () => {
    const chat = await client();
    const stream = await chat.chat.stream({ message: '/slow' });
    const before: ChatStreamEvent[] = [];
    let from = '';
    for await (const frame of stream) {
      before.push(frame);
      if (before.length === 3) from = stream.detach();
    }
    expect(from).toBe(`${stream.responseId}:3`);
    expect(storedReply(stream.responseId)?.status).toBe('running');
    const resumed = await chat.chat.resume(from);
    expect(resumed.responseId).toBe(stream.responseId);
    const after = await collect(resumed);
    expect(idsOf(after)).toEqual(numbered(stream.responseId, after.length, 4));
    const done = after.at(-1)?.frame;
    expect(done?.type === 'done' && done.response).toBe(
      chunkText([...before.map((frame) => ({ frame })), ...after]),
    );
    const result = await resumed.finalResponse();
    expect(result.response).toBe(done?.type === 'done' ? done.response : '');
    expect(result.provider).toBeUndefined();
  });

  it('resume() of a finished reply from its last frame ends at once; from 0 it replays everything', async () => {
    const chat = await client();
    mock.store.respondWith(reply);
    const stream = await chat.chat.stream({ message: 'Done soon' });
    const seen = await collect(stream);
    expect(await collect(await chat.chat.resume(seen.at(-1)?.id as string))).toEqual([]);
    expect(await collect(await chat.chat.resume(`${stream.responseId}:0`))).toEqual(seen);
    await expect(chat.chat.resume('not-an-id')).rejects.toThrow(TypeError);
  });

  it('finalResponse() rejects with ChatReplyError when the reply fails, keeping the text so far', async () => {
    const chat = await client();
    mock.store.respondWith([
      { type: 'text', text: 'Partial answer' },
      { type: 'error', message: 'The model fell over', allow_retry: true },
    ]);
    const stream = await chat.chat.stream({ message: 'Fail' });
    const error = await stream.finalResponse().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChatReplyError);
    expect(error).toMatchObject({ code: 'PROVIDER_ERROR', retryable: true });
    expect(isStreamError(error)).toBe(true);
    expect(stream.text).toBe('Partial answer');
  });

  it('finalResponse() waits for a loop already reading the stream', async () => {
    const chat = await client();
    mock.store.respondWith(reply);
    const stream = await chat.chat.stream({ message: 'Both' });
    const [seen, result] = await Promise.all([collect(stream), stream.finalResponse()]);
    expect(chunkText(seen)).toBe(result.response);
  });
});

describe('client.chat.streamGet and eventSourceUrl', () => {
  it('stream over GET, the URL carrying the secret as access_token', async () => {
    const { client_secret } = await new CartritaClient({ baseURL }).chatkit.createSession();
    const chat = new CartritaClient({ baseURL, clientSecret: client_secret });
    mock.store.respondWith(reply, reply);
    expect((await (await chat.chat.streamGet({ message: 'Via GET' })).finalResponse()).response).toBe(reply);
    const url = chat.chat.eventSourceUrl({ message: 'Hi there', model: 'demo-1' }, client_secret);
    expect(url).toBe(
      `${baseURL}/api/chat/stream?message=Hi+there&model=demo-1&access_token=${client_secret}`,
    );
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('"type":"done"');
  });
});

describe('client.chat.cancel', () => {
  it('answers not_running for a finished reply and 404 for another user’s', async () => {
    const chat = await client();
    mock.store.respondWith(reply);
    const { responseId } = await chat.chat.stream({ message: 'x' }).then(async (s) => {
      await s.finalResponse();
      return s;
    });
    expect(await chat.chat.cancel(responseId)).toEqual({ response_id: responseId, status: 'not_running' });
    const other = await client();
    await expect(other.chat.cancel(responseId)).rejects.toSatisfy(isNotFoundError);
  });
});
