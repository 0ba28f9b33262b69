import { ErrorEnvelope, type RouteDef, routes, ThreadStreamEvent, toExpressPath } from '@cartrita/contracts';
import { HttpError } from '@cartrita/engine';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REALTIME_UNAUTHORIZED_CLOSE_CODE, realtimeHandlers } from './areas/chat.js';
import { createHandlers, implementations, mockRoute } from './handlers.js';
import { createStore } from './state.js';

const baseURL = 'http://handlers.test';
const adminKey = 'mock-admin-key-0123456789';
const voiceKey = 'mock-voice-key-0123456789';
const store = createStore({
  baseURL,
  apiKeys: [adminKey, { key: voiceKey, name: 'dictation', scopes: ['voice'] }],
});
const server = setupServer(...createHandlers({ store }), ...realtimeHandlers({ store }));
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  store.reset();
  server.resetHandlers();
});
afterAll(() => server.close());

const secret = async () =>
  (
    (await (await fetch(`${baseURL}/api/chatkit/session`, { method: 'POST' })).json()) as {
      client_secret: string;
    }
  ).client_secret;

const chatkit = async (body: unknown, token?: string) =>
  fetch(`${baseURL}/chatkit`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token ?? (await secret())}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** The events of a ChatKit stream, each checked against its schema. */
const events = async (response: Response) =>
  (await response.text())
    .split('\n\n')
    .filter(Boolean)
    .map((frame) => ThreadStreamEvent.parse(JSON.parse(frame.slice('data: '.length))));

const startThread = async (text: string, token?: string) =>
  events(
    await chatkit(
      {
        type: 'threads.create',
        params: {
          input: { content: [{ type: 'input_text', text }], attachments: [], inference_options: {} },
        },
      },
      token,
    ),
  );

const assistantText = (stream: ThreadStreamEvent[]) =>
  stream
    .flatMap((event) =>
      event.type === 'thread.item.done' && event.item.type === 'assistant_message' ? event.item.content : [],
    )
    .map((part) => part.text)
    .join('');

describe('createHandlers', () => {
  it('mocks every route of the table once, at its method and path', () => {
    const handlers = createHandlers({ store });
    expect(handlers.map((handler) => `${handler.info.method} ${handler.info.path}`)).toEqual(
      (routes as readonly RouteDef[]).map(
        (route) => `${route.method} ${baseURL}${toExpressPath(route.path)}`,
      ),
    );
    expect(Object.keys(implementations).sort()).toEqual(routes.map((route) => route.id).sort());
  });

  it('refuses a base URL other than the store’s', () => {
    expect(() => createHandlers({ store, baseURL: 'http://elsewhere.test' })).toThrow(
      /differs from the store/,
    );
  });

  it('replaces one route with mockRoute, keeping auth, validation and the envelope', async () => {
    server.use(
      mockRoute(
        'chatkit.session.create',
        () => {
          throw new HttpError('SERVICE_UNAVAILABLE', 'Sessions are paused');
        },
        { store },
      ),
    );
    const response = await fetch(`${baseURL}/api/chatkit/session`, { method: 'POST' });
    expect(response.status).toBe(503);
    const body = ErrorEnvelope.parse(await response.json());
    expect(body.error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: 'Sessions are paused' });
    expect(body.request_id).toBe(response.headers.get('x-request-id'));
  });
});

describe('the engine behind the mocks', () => {
  it('answers like the reference server’s demo provider when nothing is scripted', async () => {
    const stream = await startThread('/markdown');
    expect(assistantText(stream)).toMatch(/^# Markdown showcase/);
    expect(stream.map((event) => event.type)).toEqual(
      expect.arrayContaining(['thread.created', 'thread.item.done', 'stream_options', 'thread.updated']),
    );
  });

  it('plays scripted replies in order, parts included, then falls back to the demo provider', async () => {
    const seen: string[] = [];
    store.respondWith(
      'First **reply**',
      [
        { type: 'progress', text: 'Looking it up' },
        { type: 'notice', level: 'info', message: 'From the script' },
        { type: 'text', text: 'Second reply' },
      ],
      ({ messages }) => {
        seen.push(messages.at(-1)?.content ?? '');
        return 'Third, from a function';
      },
    );
    const token = await secret();
    expect(assistantText(await startThread('one', token))).toBe('First **reply**');
    const second = await startThread('two', token);
    expect(
      second
        .filter((event) => event.type === 'progress_update' || event.type === 'notice')
        .map((event) => event.type),
    ).toEqual(['progress_update', 'notice']);
    expect(assistantText(second)).toBe('Second reply');
    expect(assistantText(await startThread('three', token))).toBe('Third, from a function');
    expect(seen).toEqual(['three']);
    expect(store.provider.queued).toBe(0);
    expect(assistantText(await startThread('four', token))).toMatch(/demo/);
  });

  it('streams a scripted failure as the server streams a provider’s', async () => {
    store.respondWith(
      [
        { type: 'text', text: 'So far' },
        { type: 'error', message: 'The model fell over', allow_retry: true },
      ],
      [{ type: 'error', code: 'stream.error' }],
    );
    const custom = await startThread('fail');
    expect(custom.find((event) => event.type === 'error')).toEqual({
      type: 'error',
      code: 'custom',
      message: 'The model fell over',
      allow_retry: true,
    });
    const unexpected = await startThread('fail again');
    expect(unexpected.find((event) => event.type === 'error')).toEqual({
      type: 'error',
      code: 'stream.error',
      allow_retry: true,
    });
  });

  it('keeps the server’s rules: titles, inference options, the after cursor and upload types', async () => {
    const token = await secret();
    const long = 'word '.repeat(30).trim();
    const created = await events(
      await chatkit(
        {
          type: 'threads.create',
          params: {
            input: {
              content: [{ type: 'input_text', text: long }],
              attachments: [],
              inference_options: { model: 'demo-1', tool_choice: null },
            },
          },
        },
        token,
      ),
    );
    const updated = created.find((event) => event.type === 'thread.updated');
    expect(updated?.type === 'thread.updated' && updated.thread.title).toBe(`${'word '.repeat(12).trim()}…`);
    const message = created.find(
      (event) => event.type === 'thread.item.done' && event.item.type === 'user_message',
    );
    expect(
      message?.type === 'thread.item.done' &&
        message.item.type === 'user_message' &&
        message.item.inference_options,
    ).toEqual({
      model: 'demo-1',
    });
    const page = await (
      await chatkit({ type: 'threads.list', params: { after: 'thr_unknown' } }, token)
    ).json();
    expect(page).toEqual({ data: [], has_more: false });
    for (const type of ['text/plain; charset=utf-8', 'TEXT/PLAIN']) {
      const form = new FormData();
      form.set('file', new Blob(['plain words'], { type }), 'a.txt');
      const upload = await fetch(`${baseURL}/chatkit/attachments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: form,
      });
      expect(upload.status, type).toBe(200);
    }
  });

  it('checks credentials by the server’s rules: scopes, another user, expired secrets', async () => {
    const listed = (headers: Record<string, string>) =>
      fetch(`${baseURL}/chatkit`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'threads.list', params: {} }),
      });
    expect((await listed({ 'x-api-key': adminKey, 'x-cartrita-user': 'alice' })).status).toBe(200);
    const refused = await listed({ 'x-api-key': voiceKey });
    expect(refused.status).toBe(403);
    expect(ErrorEnvelope.parse(await refused.json()).error.details?.required_scope).toBe('chat');
    expect(
      (await listed({ authorization: 'Bearer cks_forged.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }))
        .status,
    ).toBe(401);
    expect((await fetch(`${baseURL}/health`, { headers: { authorization: 'Basic eDp5' } })).status).toBe(200);
    const [{ threadId }] = [
      await (async () => {
        const stream = await startThread('mine');
        const created = stream.find((event) => event.type === 'thread.created');
        return { threadId: created?.type === 'thread.created' ? created.thread.id : '' };
      })(),
    ];
    const other = await chatkit({ type: 'threads.get_by_id', params: { thread_id: threadId } });
    expect(other.status).toBe(404);
  });
});

describe('the wire of seed 001', () => {
  it('spells out empty fields as null, as the server and the seed do, where the schema takes null', async () => {
    const headers = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
    const created = await fetch(`${baseURL}/api/sessions`, { method: 'POST', headers, body: '{}' });
    const session = (await created.json()) as { session_id: string; name: unknown };
    expect(session.name).toBeNull();
    const command = await fetch(`${baseURL}/api/sessions/${session.session_id}/commands`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ command_type: 'DummyEngineCommand', parameters: { prompt: 'Hi' } }),
    });
    expect(command.status).toBe(202);
    expect(await command.json()).toMatchObject({ result: null, error: null, completed_at: null });
  });
});

describe('the /ws/chat socket', () => {
  it('answers a plain GET with 426 as the server does', async () => {
    const response = await fetch(`${baseURL}/ws/chat`, {
      headers: { authorization: `Bearer ${await secret()}` },
    });
    expect(response.status).toBe(426);
    expect(response.headers.get('upgrade')).toBe('websocket');
  });

  it('closes a socket whose credential would not open the server’s', async () => {
    for (const url of [
      `${baseURL.replace('http', 'ws')}/ws/chat`,
      `${baseURL.replace('http', 'ws')}/ws/chat?access_token=cks_bad.x`,
    ]) {
      const socket = new WebSocket(url);
      const code = await new Promise<number>((resolve) =>
        socket.addEventListener('close', (event) => resolve(event.code)),
      );
      expect(code, url).toBe(REALTIME_UNAUTHORIZED_CLOSE_CODE);
    }
  });
});
