import type { EventStreamServerMessage } from '@cartrita/contracts';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  isAPIConnectionError,
  isAPIUserAbortError,
  isAuthenticationError,
  isNotFoundError,
  isStreamError,
} from '../core/errors.js';
import { type FetchLike, Transport } from '../core/request.js';
import { isClientSecretExpiredError } from './errors.js';
import {
  EventStream,
  type EventStreamOptions,
  type EventStreamReconnectEvent,
  type SessionStreamEvent,
} from './event-stream.js';

// The server's side of each socket is played by the test through a stand-in for the platform
// `WebSocket`; the HTTP call that explains a refused connection goes to a fetch the test answers.

/** A scriptable stand-in for the `WebSocket` class: the test plays the server. */
const fakeSockets = () => {
  const sockets: FakeSocket[] = [];
  class FakeSocket {
    readyState = 0;
    onopen: ((event: unknown) => void) | null = null;
    onmessage: ((event: { data: string }) => void) | null = null;
    onclose: ((event: { code: number; reason: string }) => void) | null = null;
    onerror: ((event: unknown) => void) | null = null;
    readonly sent: unknown[] = [];
    closedWith: number | undefined;
    constructor(
      readonly url: string,
      readonly init?: unknown,
    ) {
      sockets.push(this);
    }
    get query() {
      return Object.fromEntries(new URL(this.url).searchParams);
    }
    send(data: string) {
      this.sent.push(JSON.parse(data));
    }
    close(code = 1000) {
      if (this.readyState >= 2) return;
      this.readyState = 3;
      this.closedWith = code;
    }
    // The server's side
    accept(replayed: SessionStreamEvent[] = []) {
      this.readyState = 1;
      this.onopen?.({});
      for (const event of replayed) this.emit(event);
      this.emit({ type: 'ready', session_id: 'sess_1', replayed: replayed.length });
    }
    emit(message: EventStreamServerMessage) {
      this.raw(JSON.stringify(message));
    }
    raw(data: string) {
      this.onmessage?.({ data });
    }
    drop(code = 1006, reason = '') {
      this.readyState = 3;
      this.onclose?.({ code, reason });
    }
  }
  return { sockets, WebSocket: FakeSocket as unknown as EventStreamOptions['WebSocket'] };
};

type FakeSocket = ReturnType<typeof fakeSockets>['sockets'][number];

const waitFor = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1));
};

let sequence = 0;
const event = (eventType = 'StatusUpdate', data: Record<string, unknown> = {}): SessionStreamEvent => ({
  type: 'event',
  event_id: `evt_${++sequence}`,
  session_id: 'sess_1',
  event_type: eventType,
  data,
  metadata: {},
  timestamp: '2026-01-01T00:00:00.000Z',
});

/** An answer in the error envelope. */
const envelope = (status: number, code: string) =>
  Response.json(
    { error: { code, type: 'Error', message: code, details: {} }, timestamp: '', request_id: 'req_1' },
    { status },
  );

interface OpenOptions extends EventStreamOptions {
  token?: string;
  /** Answers the HTTP call that explains a refused connection. Default: 200, an empty page. */
  explain?: FetchLike;
}

const open = (options: OpenOptions = {}) => {
  const fake = fakeSockets();
  const explained: { url: string; authorization: string | null }[] = [];
  const fetch: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    explained.push({ url: request.url, authorization: request.headers.get('authorization') });
    return options.explain ? options.explain(input, init) : Response.json({ events: [], total: 0 });
  };
  const transport = new Transport({
    baseURL: 'http://api.test/prefix/',
    getAuthToken: () => options.token ?? 'cks_secret',
    fetch,
  });
  const reconnects: EventStreamReconnectEvent[] = [];
  const stream = new EventStream(transport, 'sess_1', {
    WebSocket: fake.WebSocket,
    heartbeatMs: 0,
    reconnect: { initialDelayMs: 1, maxDelayMs: 4 },
    onReconnect: (event) => reconnects.push(event),
    ...options,
  });
  onTestFinished(() => stream.close());
  const socket = async (index: number): Promise<FakeSocket> => {
    await waitFor(() => fake.sockets.length > index);
    return fake.sockets[index] as FakeSocket;
  };
  return { stream, sockets: fake.sockets, socket, reconnects, explained };
};

/** Reads `count` events from an iterator. */
const take = async (iterator: AsyncIterator<SessionStreamEvent>, count: number) => {
  const events: SessionStreamEvent[] = [];
  while (events.length < count) {
    const next = await iterator.next();
    if (next.done) break;
    events.push(next.value);
  }
  return events;
};

describe('EventStream', () => {
  it('opens the session’s stream under the base URL with the client secret in access_token', async () => {
    const { socket } = open({ lastEventId: 'evt_0', eventType: 'StatusUpdate' });
    const first = await socket(0);
    const url = new URL(first.url);
    expect(`${url.protocol}//${url.host}${url.pathname}`).toBe(
      'ws://api.test/prefix/api/sessions/sess_1/events/stream',
    );
    expect(first.query).toEqual({
      last_event_id: 'evt_0',
      event_type: 'StatusUpdate',
      access_token: 'cks_secret',
    });
    expect(first.init).toBeUndefined();
  });

  it('sends an API key in the Authorization header, never in the URL', async () => {
    const { socket } = open({ token: 'ck_live_key' });
    const first = await socket(0);
    expect(first.query).toEqual({});
    expect(first.init).toEqual({ headers: { authorization: 'Bearer ck_live_key' } });
  });

  it('yields the events, resolves ready with the server’s ready message, and tracks the last event read', async () => {
    const { stream, socket } = open();
    const missed = [event(), event()];
    (await socket(0)).accept(missed);
    await expect(stream.ready).resolves.toEqual({ type: 'ready', session_id: 'sess_1', replayed: 2 });
    expect(stream.state).toBe('open');
    const live = event('Other', { n: 1 });
    (await socket(0)).emit(live);
    (await socket(0)).emit({ type: 'pong' });
    const iterator = stream[Symbol.asyncIterator]();
    expect(await take(iterator, 3)).toEqual([...missed, live]);
    expect(stream.lastEventId).toBe(live.event_id);
  });

  it('reconnects after a drop, resuming after the last event received, and yields each event once', async () => {
    const { stream, socket, reconnects } = open();
    const iterator = stream[Symbol.asyncIterator]();
    const first = await socket(0);
    first.accept();
    const before = [event(), event()];
    for (const item of before) first.emit(item);
    expect(await take(iterator, 2)).toEqual(before);
    first.drop(1006);
    const second = await socket(1);
    expect(second.query).toEqual({ last_event_id: before[1]?.event_id, access_token: 'cks_secret' });
    expect(reconnects).toEqual([
      { attempt: 1, delayMs: expect.any(Number), lastEventId: before[1]?.event_id, code: 1006 },
    ]);
    const missed = [event(), event()];
    second.accept(missed);
    const live = event();
    second.emit(live);
    expect(await take(iterator, 3)).toEqual([...missed, live]);
    expect(stream.reconnects).toBe(1);
    expect(stream.state).toBe('open');
  });

  it('resumes after events received but not yet read, and still yields those', async () => {
    const { stream, socket } = open();
    const first = await socket(0);
    first.accept();
    const unread = event();
    first.emit(unread);
    // The server stops (1001): the stream comes back on its own.
    first.drop(1001);
    const second = await socket(1);
    expect(second.query.last_event_id).toBe(unread.event_id);
    second.accept();
    const next = event();
    second.emit(next);
    expect(await take(stream[Symbol.asyncIterator](), 2)).toEqual([unread, next]);
  });

  it('ends the loop when the session is deleted (4404), after the events already received', async () => {
    const { stream, socket, sockets } = open();
    const first = await socket(0);
    first.accept();
    const last = event();
    first.emit(last);
    first.drop(4404, 'Session deleted');
    const seen: SessionStreamEvent[] = [];
    for await (const item of stream) seen.push(item);
    expect(seen).toEqual([last]);
    expect(stream.state).toBe('closed');
    expect(sockets).toHaveLength(1);
  });

  it('throws ClientSecretExpiredError when the secret expires (4401), and does not reconnect', async () => {
    const { stream, socket, sockets } = open();
    const first = await socket(0);
    first.accept();
    first.drop(4401, 'Client secret expired');
    const error = await (async () => {
      for await (const _ of stream) {
        // No events.
      }
    })().catch((caught: unknown) => caught);
    expect(isClientSecretExpiredError(error)).toBe(true);
    expect((error as Error).message).toBe(
      'The client secret expired while following /api/sessions/sess_1/events/stream: get a new client secret (POST /api/chatkit/session) and open a new stream',
    );
    expect(sockets).toHaveLength(1);
  });

  it('close() ends the loop without an error, closes the socket, and never reconnects', async () => {
    const { stream, socket, sockets } = open();
    const first = await socket(0);
    const ready = stream.ready.catch((error: unknown) => error);
    const reading = (async () => {
      const seen: SessionStreamEvent[] = [];
      for await (const item of stream) seen.push(item);
      return seen;
    })();
    stream.close();
    expect(await reading).toEqual([]);
    expect(isAPIUserAbortError(await ready)).toBe(true);
    expect(first.closedWith).toBe(1000);
    first.drop(1000);
    expect(stream.state).toBe('closed');
    expect(sockets).toHaveLength(1);
  });

  it('throws APIUserAbortError when its signal aborts', async () => {
    const controller = new AbortController();
    const { stream, socket } = open({ signal: controller.signal });
    (await socket(0)).accept();
    const reading = (async () => {
      for await (const _ of stream) controller.abort();
    })();
    (await socket(0)).emit(event());
    await expect(reading).rejects.toSatisfy(isAPIUserAbortError);
    expect(stream.state).toBe('closed');
  });

  it('closes the socket when the loop is left early', async () => {
    const { stream, socket } = open();
    const first = await socket(0);
    first.accept();
    first.emit(event());
    for await (const _ of stream) break;
    expect(first.closedWith).toBe(1000);
    expect(stream.state).toBe('closed');
  });

  it('can be iterated only once', async () => {
    const { stream } = open();
    stream[Symbol.asyncIterator]();
    expect(() => stream[Symbol.asyncIterator]()).toThrow('An event stream can be iterated only once');
  });

  it('explains a refused first connection over HTTP: an unknown session is a NotFoundError', async () => {
    const { stream, socket, explained, sockets } = open({
      explain: async () => envelope(404, 'SESSION_NOT_FOUND'),
    });
    (await socket(0)).drop(1006);
    const error = await stream.ready.catch((caught: unknown) => caught);
    expect(isNotFoundError(error) && error.code).toBe('SESSION_NOT_FOUND');
    expect(explained).toEqual([
      {
        url: 'http://api.test/prefix/api/sessions/sess_1/events?limit=1',
        authorization: 'Bearer cks_secret',
      },
    ]);
    await expect(stream[Symbol.asyncIterator]().next()).rejects.toBe(error);
    expect(sockets).toHaveLength(1);
  });

  it('ends the loop when the session it followed is gone by the time it reconnects', async () => {
    const { stream, socket } = open({ explain: async () => envelope(404, 'SESSION_NOT_FOUND') });
    const first = await socket(0);
    first.accept();
    const last = event();
    first.emit(last);
    first.drop(1006);
    (await socket(1)).drop(1006);
    const seen: SessionStreamEvent[] = [];
    for await (const item of stream) seen.push(item);
    expect(seen).toEqual([last]);
  });

  it('reports a refused client secret as expired, and a refused API key as it is', async () => {
    const secret = open({ explain: async () => envelope(401, 'UNAUTHORIZED') });
    (await secret.socket(0)).drop(1006);
    expect(isClientSecretExpiredError(await secret.stream.ready.catch((e: unknown) => e))).toBe(true);

    const key = open({ token: 'ck_key', explain: async () => envelope(401, 'UNAUTHORIZED') });
    (await key.socket(0)).drop(1006);
    expect(isAuthenticationError(await key.stream.ready.catch((e: unknown) => e))).toBe(true);
    expect(key.explained[0]?.authorization).toBe('Bearer ck_key');
  });

  it('retries a refused connection the server explains as passing, until the attempts run out', async () => {
    const { stream, socket, sockets } = open({
      reconnect: { initialDelayMs: 1, maxDelayMs: 2, maxAttempts: 2 },
    });
    for (let index = 0; index < 3; index++) (await socket(index)).drop(1006);
    const error = await stream.ready.catch((caught: unknown) => caught);
    expect(isAPIConnectionError(error)).toBe(true);
    expect((error as Error).message).toBe(
      'Could not follow /api/sessions/sess_1/events/stream: 3 attempts in a row failed',
    );
    expect(sockets).toHaveLength(3);
  });

  it('does not reconnect with reconnect: false', async () => {
    const { stream, socket, sockets } = open({ reconnect: false });
    const first = await socket(0);
    first.accept();
    first.drop(1006);
    await expect(stream[Symbol.asyncIterator]().next()).rejects.toSatisfy(isAPIConnectionError);
    expect(sockets).toHaveLength(1);
  });

  it('pings, and reconnects when nothing answers the ping', async () => {
    const { socket } = open({ heartbeatMs: 5, heartbeatTimeoutMs: 5 });
    const first = await socket(0);
    first.accept();
    await waitFor(() => first.sent.length > 0);
    expect(first.sent[0]).toEqual({ type: 'ping' });
    const second = await socket(1);
    expect(first.closedWith).toBe(4000);
    expect(second.url).toContain('/api/sessions/sess_1/events/stream');
  });

  it('fails with StreamError on a message that breaks the contract, and ignores unknown types', async () => {
    const { stream, socket } = open();
    const first = await socket(0);
    first.accept();
    first.raw(JSON.stringify({ type: 'something_new', detail: 1 }));
    const good = event();
    first.emit(good);
    first.raw(JSON.stringify({ type: 'event', event_id: 'evt_bad' }));
    const iterator = stream[Symbol.asyncIterator]();
    expect(await iterator.next()).toEqual({ done: false, value: good });
    const error = await iterator.next().catch((caught: unknown) => caught);
    expect(isStreamError(error)).toBe(true);
    expect((error as Error).message).toBe('The event stream sent a "event" message that breaks the contract');
  });
});
