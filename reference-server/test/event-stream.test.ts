import { request } from 'node:http';
import type { EventStreamServerMessage } from '@cartrita/contracts';
import { describe, expect, it } from 'vitest';
import { useServer } from './helpers.js';

type Message = EventStreamServerMessage;

/** A socket on a session's event stream that collects what it is sent. */
const follow = async (url: string, query: string, headers: Record<string, string> = {}) => {
  const socket = new WebSocket(`${url.replace('http', 'ws')}${query}`, { headers } as never);
  const messages: Message[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.addEventListener('close', (event) => resolve({ code: event.code, reason: event.reason })),
  );
  socket.addEventListener('message', (event) => messages.push(JSON.parse(String(event.data))));
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', reject, { once: true });
  });
  const until = async (count: number) => {
    await expect.poll(() => messages.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(count);
    return messages;
  };
  return { socket, messages, closed, until };
};

const api = (url: string, key: string) => async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'x-api-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return (await res.json()) as Record<string, unknown>;
};

describe('WS /api/sessions/{session_id}/events/stream', () => {
  it('sends ready, then every event published in the session, and answers pings', async () => {
    const { url, apiKey } = await useServer();
    const call = api(url, apiKey);
    const { session_id } = (await call('POST', '/api/sessions', {})) as { session_id: string };
    const other = (await call('POST', '/api/sessions', {})) as { session_id: string };
    const stream = await follow(url, `/api/sessions/${session_id}/events/stream`, { 'x-api-key': apiKey });
    await stream.until(1);
    expect(stream.messages[0]).toEqual({ type: 'ready', session_id, replayed: 0 });
    const first = await call('POST', `/api/sessions/${session_id}/events`, {
      event_type: 'DummyEngineStatusUpdate',
      data: { status: 'processing' },
    });
    await call('POST', `/api/sessions/${other.session_id}/events`, { event_type: 'Elsewhere' });
    const second = await call('POST', `/api/sessions/${session_id}/events`, { event_type: 'Done' });
    await stream.until(3);
    expect(stream.messages.slice(1)).toEqual([
      { type: 'event', ...first },
      { type: 'event', ...second },
    ]);
    stream.socket.send(JSON.stringify({ type: 'ping' }));
    stream.socket.send('not json');
    await stream.until(5);
    expect(stream.messages.slice(3)).toEqual([
      { type: 'pong' },
      {
        type: 'error',
        error: {
          code: 'VALIDATION_ERROR',
          message: 'Expected {"type": "ping"}: the stream takes nothing else',
        },
      },
    ]);
    stream.socket.close();
  });

  it('resumes after the last event a client saw: the missed ones first, then ready, then live ones', async () => {
    const { url, apiKey } = await useServer();
    const call = api(url, apiKey);
    const { session_id } = (await call('POST', '/api/sessions', {})) as { session_id: string };
    const published = [];
    for (const n of [1, 2, 3, 4]) {
      published.push(
        await call('POST', `/api/sessions/${session_id}/events`, { event_type: 'Tick', data: { n } }),
      );
    }
    const stream = await follow(
      url,
      `/api/sessions/${session_id}/events/stream?last_event_id=${published[1]?.event_id}`,
      { 'x-api-key': apiKey },
    );
    await stream.until(3);
    expect(stream.messages).toEqual([
      { type: 'event', ...published[2] },
      { type: 'event', ...published[3] },
      { type: 'ready', session_id, replayed: 2 },
    ]);
    const live = await call('POST', `/api/sessions/${session_id}/events`, {
      event_type: 'Tick',
      data: { n: 5 },
    });
    await stream.until(4);
    expect(stream.messages[3]).toEqual({ type: 'event', ...live });
    stream.socket.close();
  });

  it('follows only the type asked for', async () => {
    const { url, apiKey } = await useServer();
    const call = api(url, apiKey);
    const { session_id } = (await call('POST', '/api/sessions', {})) as { session_id: string };
    const stream = await follow(url, `/api/sessions/${session_id}/events/stream?event_type=Wanted`, {
      'x-api-key': apiKey,
    });
    await stream.until(1);
    await call('POST', `/api/sessions/${session_id}/events`, { event_type: 'Unwanted' });
    const wanted = await call('POST', `/api/sessions/${session_id}/events`, { event_type: 'Wanted' });
    await stream.until(2);
    expect(stream.messages.slice(1)).toEqual([{ type: 'event', ...wanted }]);
    stream.socket.close();
  });

  it('closes with 4404 when the session is deleted', async () => {
    const { url, apiKey } = await useServer();
    const call = api(url, apiKey);
    const { session_id } = (await call('POST', '/api/sessions', {})) as { session_id: string };
    const stream = await follow(url, `/api/sessions/${session_id}/events/stream`, { 'x-api-key': apiKey });
    await stream.until(1);
    await call('DELETE', `/api/sessions/${session_id}`);
    expect(await stream.closed).toEqual({ code: 4404, reason: 'Session deleted' });
  });

  it("lets a client secret follow its own session's events in access_token, and no other session's", async () => {
    const { url, apiKey } = await useServer();
    const minted = (await (await fetch(`${url}/api/chatkit/session`, { method: 'POST' })).json()) as {
      client_secret: string;
      session_id: string;
      user_id: string;
    };
    const stream = await follow(
      url,
      `/api/sessions/${minted.session_id}/events/stream?access_token=${minted.client_secret}`,
    );
    await stream.until(1);
    // The site's backend publishes to the widget's session, acting for its user.
    const published = await fetch(`${url}/api/sessions/${minted.session_id}/events`, {
      method: 'POST',
      headers: { 'x-api-key': apiKey, 'x-cartrita-user': minted.user_id, 'content-type': 'application/json' },
      body: JSON.stringify({ event_type: 'OrderShipped', data: { order: 42 } }),
    });
    expect(published.status).toBe(201);
    await stream.until(2);
    expect(stream.messages[1]).toMatchObject({
      type: 'event',
      event_type: 'OrderShipped',
      data: { order: 42 },
    });
    stream.socket.close();

    const call = api(url, apiKey);
    const { session_id } = (await call('POST', '/api/sessions', {})) as { session_id: string };
    await expect(
      follow(url, `/api/sessions/${session_id}/events/stream?access_token=${minted.client_secret}`),
    ).rejects.toBeDefined();
  });

  it('refuses an unknown last_event_id before the upgrade', async () => {
    const { url, apiKey } = await useServer();
    const call = api(url, apiKey);
    const { session_id } = (await call('POST', '/api/sessions', {})) as { session_id: string };
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${url}/api/sessions/${session_id}/events/stream?last_event_id=evt_nope`, {
        headers: {
          'x-api-key': apiKey,
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
          'sec-websocket-version': '13',
        },
      });
      req.on('upgrade', () => reject(new Error('The upgrade was accepted')));
      req.on('response', (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body).error).toMatchObject({
      code: 'NOT_FOUND',
      message: 'Event evt_nope does not exist',
    });
  });
});
