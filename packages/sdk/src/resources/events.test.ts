import { createStore } from '@cartrita/msw';
import { setupCartritaServer } from '@cartrita/msw/node';
import { ws } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { CartritaClient } from '../client.js';
import { isNotFoundError } from '../core/errors.js';
import type { EventStream, SessionStreamEvent } from '../realtime/event-stream.js';

const baseURL = 'http://llmgine.test';
const apiKey = 'test-key-events-0123456789';
const store = createStore({ baseURL, apiKeys: [apiKey] });
const mock = setupCartritaServer({ store });

beforeAll(() => mock.listen({ onUnhandledFrame: 'error' }));
afterEach(() => mock.reset());
afterAll(() => mock.close());

/**
 * A site's backend (an API key acting for user_1) and a browser holding user_1's client secret for
 * one session: the backend publishes, the browser follows (a client secret reaches its own session's
 * events, and the mocked socket takes credentials in `access_token` only, as a browser sends them).
 */
const setup = async () => {
  const minted = await new CartritaClient({ baseURL, apiKey }).chatkit.createSession({ user: 'user_1' });
  const backend = new CartritaClient({
    baseURL,
    apiKey,
    defaultHeaders: { 'x-cartrita-user': minted.user_id as string },
  });
  const { client_secret, session_id } = minted;
  const browser = new CartritaClient({ baseURL, clientSecret: client_secret });
  return { backend, browser, sessionId: session_id };
};

const follow = (stream: EventStream) => {
  onTestFinished(() => stream.close());
  return stream[Symbol.asyncIterator]();
};

const take = async (iterator: AsyncIterator<SessionStreamEvent>, count: number) => {
  const events: SessionStreamEvent[] = [];
  while (events.length < count) {
    const next = await iterator.next();
    if (next.done) break;
    events.push(next.value);
  }
  return events;
};

const status = (value: string) => ({ event_type: 'DummyEngineStatusUpdate', data: { status: value } });

describe('client.events', () => {
  it('publishes, lists oldest first with filters and pages, and gets one event', async () => {
    const { backend, sessionId } = await setup();
    const first = await backend.events.publish(sessionId, {
      ...status('processing'),
      metadata: { source: 'engine', priority: 'normal' },
    });
    expect(first).toMatchObject({
      session_id: sessionId,
      event_type: 'DummyEngineStatusUpdate',
      data: { status: 'processing' },
      metadata: { source: 'engine', priority: 'normal' },
    });
    const second = await backend.events.publish(sessionId, { event_type: 'Other' });
    const third = await backend.events.publish(sessionId, status('done'));
    const all = await backend.events.list(sessionId);
    expect(all.total).toBe(3);
    expect(all.events.map((event) => event.event_id)).toEqual([first, second, third].map((e) => e.event_id));
    const filtered = await backend.sessions.events.list(sessionId, { event_type: 'DummyEngineStatusUpdate' });
    expect(filtered.events.map((event) => event.event_id)).toEqual([first.event_id, third.event_id]);
    const page = await backend.events.list(sessionId, { limit: 1, offset: 1 });
    expect([page.total, page.events.map((event) => event.event_id)]).toEqual([3, [second.event_id]]);
    expect(await backend.events.get(sessionId, second.event_id)).toEqual(second);
    const missing = await backend.events.get(sessionId, 'evt_missing').catch((error: unknown) => error);
    expect(isNotFoundError(missing) && missing.code).toBe('NOT_FOUND');
  });
});

describe('client.events.stream against the mocked socket', () => {
  it('yields the events published over HTTP once it is ready, in order', async () => {
    const { backend, browser, sessionId } = await setup();
    const stream = browser.events.stream(sessionId);
    const iterator = follow(stream);
    expect(await stream.ready).toEqual({ type: 'ready', session_id: sessionId, replayed: 0 });
    const published = [
      await backend.events.publish(sessionId, status('processing')),
      await backend.events.publish(sessionId, status('completed')),
    ];
    expect(await take(iterator, 2)).toEqual(published.map((event) => ({ type: 'event', ...event })));
    expect(stream.lastEventId).toBe(published[1]?.event_id);
  });

  it('starts after lastEventId with the events missed, then the live ones', async () => {
    const { backend, browser, sessionId } = await setup();
    const before = [
      await backend.events.publish(sessionId, status('one')),
      await backend.events.publish(sessionId, status('two')),
      await backend.events.publish(sessionId, status('three')),
    ];
    const stream = browser.events.stream(sessionId, { lastEventId: before[0]?.event_id });
    const iterator = follow(stream);
    expect((await stream.ready).replayed).toBe(2);
    const live = await backend.events.publish(sessionId, status('four'));
    const seen = await take(iterator, 3);
    expect(seen.map((event) => event.event_id)).toEqual([before[1], before[2], live].map((e) => e?.event_id));
  });

  it('follows one event type', async () => {
    const { backend, browser, sessionId } = await setup();
    const stream = browser.events.stream(sessionId, { eventType: 'Wanted' });
    const iterator = follow(stream);
    await stream.ready;
    await backend.events.publish(sessionId, { event_type: 'Unwanted' });
    const wanted = await backend.events.publish(sessionId, { event_type: 'Wanted', data: { n: 1 } });
    expect(await take(iterator, 1)).toEqual([{ type: 'event', ...wanted }]);
  });

  it('sees the status events of a DummyEngineCommand run in the session', async () => {
    const { backend, browser, sessionId } = await setup();
    const stream = browser.events.stream(sessionId, { eventType: 'DummyEngineStatusUpdate' });
    const iterator = follow(stream);
    await stream.ready;
    const done = await backend.commands.run(sessionId, {
      command_type: 'DummyEngineCommand',
      parameters: { prompt: 'Hello' },
    });
    const seen = await take(iterator, 2);
    expect(seen.map((event) => event.data)).toEqual([
      { status: 'processing', command_id: done.command_id },
      { status: 'completed', command_id: done.command_id },
    ]);
  });

  it('resumes after the server drops the socket, with no event lost or repeated', async () => {
    const { backend, browser, sessionId } = await setup();
    // Beside the mock's own handler: a listener that can drop each socket from the server's side.
    const link = ws.link(`${baseURL.replace('http', 'ws')}/api/sessions/:session_id/events/stream`);
    const clients: { close(code?: number, reason?: string): void; url: URL }[] = [];
    mock.use(link.addEventListener('connection', ({ client }) => clients.push(client)));
    const stream = browser.events.stream(sessionId, { reconnect: { initialDelayMs: 1, maxDelayMs: 4 } });
    const iterator = follow(stream);
    await stream.ready;
    const before = await backend.events.publish(sessionId, status('before'));
    expect(await take(iterator, 1)).toEqual([{ type: 'event', ...before }]);
    clients[0]?.close(1001, 'Server stopping');
    const during = [
      await backend.events.publish(sessionId, status('during 1')),
      await backend.events.publish(sessionId, status('during 2')),
    ];
    const seen = await take(iterator, 2);
    const after = await backend.events.publish(sessionId, status('after'));
    seen.push(...(await take(iterator, 1)));
    expect(seen.map((event) => event.event_id)).toEqual([...during, after].map((event) => event.event_id));
    expect(stream.reconnects).toBe(1);
    expect(clients[1]?.url.searchParams.get('last_event_id')).toBe(before.event_id);
  });

  it('ends the loop when the session is deleted', async () => {
    const { backend, browser, sessionId } = await setup();
    const stream = browser.events.stream(sessionId);
    onTestFinished(() => stream.close());
    await stream.ready;
    const last = await backend.events.publish(sessionId, status('last'));
    await backend.sessions.delete(sessionId);
    const seen: SessionStreamEvent[] = [];
    for await (const event of stream) seen.push(event);
    expect(seen).toEqual([{ type: 'event', ...last }]);
    expect(stream.state).toBe('closed');
  });

  it('rejects with NotFoundError for a session the credential does not reach', async () => {
    const { backend, browser } = await setup();
    const other = await backend.sessions.create({ name: 'not the browser’s' });
    const stream = browser.events.stream(other.session_id);
    onTestFinished(() => stream.close());
    const error = await stream.ready.catch((caught: unknown) => caught);
    expect(isNotFoundError(error) && error.code).toBe('SESSION_NOT_FOUND');
    await expect(stream[Symbol.asyncIterator]().next()).rejects.toBe(error);
  });
});
