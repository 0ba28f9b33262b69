import { describe, expect, it } from 'vitest';
import { useServer } from './helpers.js';

const api = (url: string, key: string) => {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
  };
  return call;
};

/** Polls a command until it finishes. */
const settle = async (call: ReturnType<typeof api>, sessionId: string, commandId: string) => {
  for (;;) {
    const { body } = await call('GET', `/api/sessions/${sessionId}/commands/${commandId}`);
    if (!['queued', 'executing'].includes(body.status)) return body;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('LLMGine sessions and commands', () => {
  it('runs the seed walk-through: a session, a DummyEngineCommand, its events', async () => {
    const server = await useServer();
    const call = api(server.url, server.apiKey);
    const created = await call('POST', '/api/sessions', {
      name: 'optional-session-name',
      metadata: { user_id: 'user123', project: 'my-project' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'active', name: 'optional-session-name' });
    const sessionId = created.body.session_id as string;
    expect(sessionId).toMatch(/^sess_[0-9a-f]{16}$/);

    const command = await call('POST', `/api/sessions/${sessionId}/commands`, {
      command_type: 'DummyEngineCommand',
      parameters: { prompt: 'Hello, world!' },
      metadata: { priority: 'high', timeout: 30 },
    });
    expect(command.status).toBe(202);
    expect(command.body).toMatchObject({ status: 'executing', result: null, error: null });
    expect(command.body.metadata).toEqual({ priority: 'high', timeout: 30 });
    const done = await settle(call, sessionId, command.body.command_id);
    expect(done).toMatchObject({
      status: 'completed',
      result: { response: 'Processed: Hello, world!' },
      error: null,
    });

    const events = await call('GET', `/api/sessions/${sessionId}/events?event_type=DummyEngineStatusUpdate`);
    expect(events.status).toBe(200);
    expect(events.body.total).toBe(2);
    expect(events.body.events.map((event: { data: { status: string } }) => event.data.status)).toEqual([
      'processing',
      'completed',
    ]);

    const session = await call('GET', `/api/sessions/${sessionId}`);
    expect(session.body.counts).toEqual({
      commands: 1,
      queued: 0,
      executing: 0,
      events: 2,
      engines: 0,
      tools: 0,
      handlers: 0,
    });
  });
});

describe('GET /api/status', () => {
  it('reports the database, the command queues and the open sockets of each door', async () => {
    const server = await useServer();
    const call = api(server.url, server.apiKey);
    const { body: session } = await call('POST', '/api/sessions', {});
    const socket = new WebSocket(
      `${server.url.replace('http', 'ws')}/api/sessions/${session.session_id}/events/stream`,
      { headers: { 'x-api-key': server.apiKey } } as never,
    );
    await new Promise((resolve) => socket.addEventListener('message', resolve, { once: true }));
    const { status, body } = await call('GET', '/api/status');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: 'healthy',
      database: { engine: 'sqlite', ok: true },
      event_bus: { kind: 'in_process' },
      commands: { queued: 0, executing: 0 },
      sockets: { chat: 0, events: 1, studio: 0 },
    });
    expect(body.database.latency_ms).toBeGreaterThanOrEqual(0);
    const closed = new Promise((resolve) => socket.addEventListener('close', resolve));
    socket.close();
    await closed;
    await expect
      .poll(async () => (await call('GET', '/api/status')).body.sockets)
      .toEqual({ chat: 0, events: 0, studio: 0 });
  });
});
