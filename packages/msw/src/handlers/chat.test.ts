import {
  ChatCancelResponse,
  ChatKitSession,
  ChatResponse,
  ChatStreamFrame,
  chatKitJsonResults,
  ErrorEnvelope,
  SessionChatResponse,
} from '@cartrita/contracts';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createScenarios, cutStreamAfter, networkError, stallStreamAfter } from '../scenarios.js';
import { createStore } from '../store.js';
import { CANCELLED_CONTEXT } from '../turn.js';
import { parseLastEventId } from './chat.js';
import { createHandlers } from './index.js';

const baseURL = 'http://cartrita.test';
const store = createStore({ baseURL, heartbeatMs: 5 });
const scenarios = createScenarios();
const server = setupServer(...createHandlers({ store, scenarios }));

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  store.reset();
  scenarios.reset();
});
afterAll(() => server.close());

const newSecret = async (): Promise<string> => {
  const response = await fetch(`${baseURL}/api/chatkit/session`, { method: 'POST' });
  return ChatKitSession.parse(await response.json()).client_secret;
};

const post = (secret: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(`${baseURL}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

interface Framed {
  id: string;
  frame: ChatStreamFrame;
}

/** Parses an SSE text of `id:` + `data:` frames; heartbeat comments are counted apart. */
const parse = (text: string) => {
  const frames: Framed[] = [];
  let heartbeats = 0;
  for (const block of text.split('\n\n').filter(Boolean)) {
    if (block === ': keep-alive') {
      heartbeats++;
      continue;
    }
    const match = /^id: (resp_[0-9a-f]{16}:\d+)\ndata: (.+)$/.exec(block);
    if (!match) throw new Error(`Not a frame: ${JSON.stringify(block)}`);
    frames.push({ id: match[1] as string, frame: ChatStreamFrame.parse(JSON.parse(match[2] as string)) });
  }
  return { frames, heartbeats };
};

const readFrames = async (response: Response) => {
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  return parse(await response.text()).frames;
};

/** Reads a body until it breaks, returning the text read before. */
const readUntilBroken = async (response: Response) => {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return { text, broken: false };
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    return { text, broken: true };
  }
};

const textOf = (frames: Framed[]) =>
  frames.map(({ frame }) => (frame.type === 'chunk' ? frame.content : '')).join('');

const items = async (secret: string, threadId: string) => {
  const response = await post(secret, '/chatkit', {
    type: 'items.list',
    params: { thread_id: threadId, order: 'asc' },
  });
  return chatKitJsonResults['items.list'].parse(await response.json()).data;
};

describe('POST /api/chat', () => {
  it('answers the reply as JSON in a conversation that is a ChatKit thread', async () => {
    const secret = await newSecret();
    store.respondWith('Hello **there**');
    const first = ChatResponse.parse(await (await post(secret, '/api/chat', { message: 'Hi' })).json());
    expect(first).toMatchObject({ response: 'Hello **there**', provider: 'mock', model: 'mock-1' });
    expect(first.usage).toEqual({ prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 });
    const thread = store.thread(first.conversation_id);
    expect(thread?.title).toBe('Hi');
    const list = await items(secret, first.conversation_id);
    expect(list.map((item) => item.type)).toEqual(['user_message', 'assistant_message']);
    expect(list[1]?.id).toBe(first.message_id);

    const second = ChatResponse.parse(
      await (
        await post(secret, '/api/chat', {
          message: 'More',
          conversation_id: first.conversation_id,
          model: 'm-2',
        })
      ).json(),
    );
    expect(second).toMatchObject({ conversation_id: first.conversation_id, model: 'm-2' });
    expect(await items(secret, first.conversation_id)).toHaveLength(4);
  });

  it('answers a provider failure with the error envelope', async () => {
    store.respondWith([{ type: 'error', message: 'The model is down' }]);
    const response = await post(await newSecret(), '/api/chat', { message: 'Hi' });
    expect(response.status).toBe(502);
    expect(ErrorEnvelope.parse(await response.json()).error).toMatchObject({
      code: 'PROVIDER_ERROR',
      message: 'The model is down',
    });
  });

  it('answers another provider than its own with 503 PROVIDER_NOT_CONFIGURED', async () => {
    const response = await post(await newSecret(), '/api/chat', { message: 'Hi', provider: 'openai' });
    expect(response.status).toBe(503);
    expect(ErrorEnvelope.parse(await response.json()).error.code).toBe('PROVIDER_NOT_CONFIGURED');
  });
});

describe('POST /api/chat/stream', () => {
  it('streams numbered frames, a progress frame included, and logs them on the reply', async () => {
    const secret = await newSecret();
    store.respondWith([
      { type: 'progress', text: 'Thinking...' },
      { type: 'text', text: 'One two three' },
    ]);
    const frames = await readFrames(await post(secret, '/api/chat/stream', { message: 'Count' }));
    const [start, ...rest] = frames.map((f) => f.frame);
    if (start?.type !== 'start') throw new Error('no start');
    expect(frames.map((f) => f.id)).toEqual(frames.map((_, i) => `${start.response_id}:${i + 1}`));
    expect(rest.map((f) => f.type)).toEqual(['progress', 'chunk', 'chunk', 'chunk', 'done']);
    expect(rest.at(-1)).toMatchObject({ type: 'done', response: 'One two three', finish_reason: 'stop' });
    expect(store.chatResponses[0]).toMatchObject({ id: start.response_id, status: 'complete' });
    expect(store.chatResponses[0]?.frames).toEqual(frames.map((f) => f.frame));
  });

  it('resumes from Last-Event-ID with exactly the later frames, also after a cut', async () => {
    const secret = await newSecret();
    scenarios.use(cutStreamAfter(3), { route: 'chat.stream', once: true });
    const cut = await readUntilBroken(await post(secret, '/api/chat/stream', { message: 'Cut me' }));
    expect(cut.broken).toBe(true);
    const before = parse(cut.text).frames;
    expect(before).toHaveLength(3);
    const after = await readFrames(
      await post(secret, '/api/chat/stream', { message: 'ignored' }, { 'last-event-id': before[2]!.id }),
    );
    const all = [...before, ...after];
    const responseId = before[0]!.id.split(':')[0];
    expect(all.map((f) => f.id)).toEqual(all.map((_, i) => `${responseId}:${i + 1}`));
    const done = all.at(-1)?.frame;
    expect(done?.type === 'done' && done.response).toBe(textOf(all));
    expect(store.chatResponses).toHaveLength(1);
  });

  it('goes silent after stallStreamAfter(n), while the reply runs on', async () => {
    const secret = await newSecret();
    scenarios.use(stallStreamAfter(2), { route: 'chat.stream', once: true });
    const controller = new AbortController();
    const response = await post(secret, '/api/chat/stream', { message: 'Stall' });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    while (parse(text).frames.length < 2) text += new TextDecoder().decode((await reader.read()).value);
    const pending = reader.read();
    const record = store.chatResponses[0]!;
    await store.chatResponseEnded(record);
    const silent = await Promise.race([
      pending.then(() => 'data'),
      new Promise((r) => setTimeout(r, 30, 'silent')),
    ]);
    expect(silent).toBe('silent');
    controller.abort();
    await reader.cancel();
    expect(record.status).toBe('complete');
  });

  it('answers a network error fault without starting a reply', async () => {
    scenarios.use(networkError(), { route: 'chat.stream', once: true });
    await expect(post(await newSecret(), '/api/chat/stream', { message: 'x' })).rejects.toThrow();
    expect(store.chatResponses).toHaveLength(0);
  });

  it('sends heartbeat comments while a /slow reply is silent', async () => {
    const response = await post(await newSecret(), '/api/chat/stream', { message: '/slow' });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    while (parse(text).heartbeats === 0) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(store.chatResponses[0]?.status).toBe('running');
  });

  it('answers another user’s or an unknown reply with 404 NOT_FOUND', async () => {
    const frames = await readFrames(await post(await newSecret(), '/api/chat/stream', { message: 'Mine' }));
    const other = await newSecret();
    for (const id of [frames[1]!.id, 'resp_0000000000000000:1']) {
      const response = await post(other, '/api/chat/stream', { message: 'x' }, { 'last-event-id': id });
      expect(response.status).toBe(404);
      expect(ErrorEnvelope.parse(await response.json()).error.code).toBe('NOT_FOUND');
    }
    const cancel = await post(other, `/api/chat/responses/${frames[1]!.id.split(':')[0]}/cancel`);
    expect(cancel.status).toBe(404);
  });
});

describe('POST /api/chat/responses/{response_id}/cancel', () => {
  it('stops a running reply, saves the partial text and then answers not_running', async () => {
    const secret = await newSecret();
    const response = await post(secret, '/api/chat/stream', { message: '/slow' });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    while (!parse(text).frames.some((f) => f.frame.type === 'chunk')) {
      text += new TextDecoder().decode((await reader.read()).value);
    }
    const responseId = parse(text).frames[0]!.id.split(':')[0] as string;
    const cancelled = ChatCancelResponse.parse(
      await (await post(secret, `/api/chat/responses/${responseId}/cancel`)).json(),
    );
    expect(cancelled).toEqual({ response_id: responseId, status: 'cancelled' });
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    const frames = parse(text).frames;
    const done = frames.at(-1)?.frame;
    expect(done).toMatchObject({ type: 'done', finish_reason: 'cancelled' });
    expect(done?.type === 'done' && done.response).toBe(textOf(frames));
    const again = ChatCancelResponse.parse(
      await (await post(secret, `/api/chat/responses/${responseId}/cancel`)).json(),
    );
    expect(again.status).toBe('not_running');
    const thread = store.thread(store.chatResponses[0]!.threadId)!;
    expect(thread.items.map((item) => item.type)).toEqual([
      'user_message',
      'assistant_message',
      'sdk_hidden_context',
    ]);
    expect(thread.items[2]).toMatchObject({ content: CANCELLED_CONTEXT });
  });
});

describe('interruptChatResponse', () => {
  it('ends a running reply with an incomplete frame and keeps its partial text', async () => {
    const secret = await newSecret();
    const response = await post(secret, '/api/chat/stream', { message: '/slow' });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    while (!parse(text).frames.some((f) => f.frame.type === 'chunk')) {
      text += new TextDecoder().decode((await reader.read()).value);
    }
    const record = store.chatResponses[0]!;
    store.interruptChatResponse(record.id);
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    const frames = parse(text).frames;
    expect(frames.at(-1)?.frame).toEqual({
      type: 'incomplete',
      message_id: record.messageId,
      reason: 'server_restarted',
    });
    const saved = store.thread(record.threadId)!.items.find((item) => item.type === 'assistant_message');
    expect(saved?.type === 'assistant_message' && saved.content[0]?.text).toBe(textOf(frames));
    expect(record.status).toBe('incomplete');
  });
});

describe('GET /api/chat/stream', () => {
  it('takes the client secret as access_token on GET only, never an API key', async () => {
    const secret = await newSecret();
    const url = `${baseURL}/api/chat/stream?message=Hi&access_token=${secret}`;
    const frames = await readFrames(await fetch(url));
    expect(frames.at(-1)?.frame.type).toBe('done');
    const post = await fetch(url, { method: 'POST', body: '{"message":"Hi"}' });
    expect(post.status).toBe(401);
    const keyed = createStore({ baseURL: 'http://keyed.test', apiKeys: ['ck_key'] });
    server.use(...createHandlers({ store: keyed }));
    const withKey = await fetch('http://keyed.test/api/chat/stream?message=Hi&access_token=ck_key');
    expect(withKey.status).toBe(401);
    expect(ErrorEnvelope.parse(await withKey.json()).error.message).toMatch(/Only client secrets/);
  });

  it('needs a message unless it resumes', async () => {
    const response = await fetch(`${baseURL}/api/chat/stream`, {
      headers: { authorization: `Bearer ${await newSecret()}` },
    });
    expect(response.status).toBe(422);
    const envelope = ErrorEnvelope.parse(await response.json());
    expect(envelope.error.details).toEqual({ fields: [{ path: 'query.message', message: 'Required' }] });
  });
});

describe('the seed-004 doors', () => {
  it('make a session_id for /chat/ and carry it in /chat/stream frames', async () => {
    const secret = await newSecret();
    const first = SessionChatResponse.parse(
      await (await post(secret, '/chat/', { message: 'Hi', context: ['atc_1'] })).json(),
    );
    expect(first.session_id).toMatch(/^thr_/);
    const frames = await readFrames(
      await post(secret, '/chat/stream', { message: 'Again', session_id: first.session_id }),
    );
    expect(frames[0]?.frame).toMatchObject({ type: 'start', session_id: first.session_id });
    expect(frames.at(-1)?.frame).toMatchObject({ type: 'done', session_id: first.session_id });
  });
});

describe('parseLastEventId', () => {
  it('reads resp_<hex>:<n> and nothing else', () => {
    expect(parseLastEventId('resp_0123456789abcdef:12')).toEqual({
      responseId: 'resp_0123456789abcdef',
      afterSeq: 12,
    });
    for (const value of [undefined, null, '', '12', 'resp_xyz:1', 'resp_01234567:', 'thr_01234567:3']) {
      expect(parseLastEventId(value)).toBeUndefined();
    }
  });
});
