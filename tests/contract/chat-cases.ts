/**
 * @module The contract cases of the HTTP chat doors (`/api/chat*`, `/chat/*`): they run unchanged
 * against the MSW handlers and against the reference server. Every frame must be `id: <response_id>:<n>`
 * + `data: <compact JSON>` (or a `: keep-alive` comment), numbered from 1 with no gap, valid against
 * `ChatStreamFrame` and without `null`.
 */
import {
  ChatCancelResponse,
  ChatResponse,
  ChatStreamFrame,
  chatKitJsonResults,
  SessionChatResponse,
  type ThreadItem,
} from '@cartrita/contracts';
import { expect } from 'vitest';
import type { CompareOptions, ContractCase, ContractTarget } from './cases.js';
import { expectNoNulls, expectSchema, readError, readJson, type Schema } from './wire.js';

/** One frame as it went over the wire. */
export interface WireFrame {
  /** `resp_…:n`. */
  readonly id: string;
  readonly responseId: string;
  readonly seq: number;
  readonly frame: ChatStreamFrame;
}

const framePattern = /^id: (resp_[0-9a-f]{8,32}):(\d+)\ndata: ([^\n]+)$/;

const parseBlock = (block: string, what: string): WireFrame | undefined => {
  if (block.startsWith(':')) {
    expect(block, `${what}: a comment is a heartbeat`).toMatch(/^: ?[^\n]*$/);
    return undefined;
  }
  const match = framePattern.exec(block);
  if (!match)
    throw new Error(
      `${what}: a frame is not "id: <response_id>:<n>\\ndata: <json>": ${JSON.stringify(block)}`,
    );
  const [, responseId, seq, payload] = match as unknown as [string, string, string, string];
  const data: unknown = JSON.parse(payload);
  expect(JSON.stringify(data), `${what}: frame ${seq} is compact JSON`).toBe(payload);
  expectNoNulls(data, `${what}: frame ${seq}`);
  const frame = expectSchema(ChatStreamFrame as Schema<ChatStreamFrame>, data, `${what}: frame ${seq}`);
  return { id: `${responseId}:${seq}`, responseId, seq: Number(seq), frame };
};

const expectStreamHeaders = (response: Response, what: string) => {
  expect(response.headers.get('x-request-id'), `${what}: X-Request-Id`).toMatch(/^\S+$/);
  expect(response.headers.get('content-type'), `${what}: content type`).toMatch(/^text\/event-stream\b/);
};

/** Reads a whole chat stream and checks its framing, frame by frame. */
export const readFrames = async (response: Response, what: string): Promise<WireFrame[]> => {
  if (response.status !== 200)
    throw new Error(`${what}: status ${response.status}: ${await response.text()}`);
  expectStreamHeaders(response, what);
  const text = await response.text();
  expect(text.endsWith('\n\n') || text === '', `${what}: ends at a frame boundary`).toBe(true);
  return text
    .split('\n\n')
    .filter((block) => block !== '')
    .flatMap((block) => parseBlock(block, what) ?? []);
};

/** Reads a chat stream frame by frame as it arrives. */
export async function* frames(response: Response, what: string): AsyncGenerator<WireFrame> {
  if (response.status !== 200)
    throw new Error(`${what}: status ${response.status}: ${await response.text()}`);
  expectStreamHeaders(response, what);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end !== -1) {
        const frame = parseBlock(buffer.slice(0, end), what);
        buffer = buffer.slice(end + 2);
        if (frame) yield frame;
        end = buffer.indexOf('\n\n');
      }
    }
    expect(buffer, `${what}: nothing after the last frame`).toBe('');
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** Checks what every complete reply's frames share: numbering, order, and the text of `done`. */
export const expectWholeReply = (list: readonly WireFrame[], what: string) => {
  expect(list.length, `${what}: frames`).toBeGreaterThanOrEqual(3);
  const responseId = list[0]?.responseId;
  expect(
    list.map((frame) => frame.id),
    `${what}: ids are <response_id>:1..n`,
  ).toEqual(list.map((_, index) => `${responseId}:${index + 1}`));
  const [start, ...rest] = list.map((frame) => frame.frame);
  const done = rest.at(-1);
  if (start?.type !== 'start') throw new Error(`${what}: the first frame is ${start?.type}, not start`);
  if (done?.type !== 'done') throw new Error(`${what}: the last frame is ${done?.type}, not done`);
  expect(start.response_id, `${what}: start names its response`).toBe(responseId);
  expect(
    rest.slice(0, -1).every((frame) => frame.type === 'chunk' || frame.type === 'progress'),
    `${what}: chunk and progress frames between start and done`,
  ).toBe(true);
  const text = chunkText(list);
  expect(text.length, `${what}: the reply has text`).toBeGreaterThan(0);
  expect(done.response, `${what}: done.response is the chunks joined`).toBe(text);
  expect(done.message_id).toBe(start.message_id);
  expect(done.conversation_id).toBe(start.conversation_id);
  return { start, done, text };
};

/** The text of the `chunk` frames. */
export const chunkText = (list: readonly WireFrame[]): string =>
  list.map(({ frame }) => (frame.type === 'chunk' ? frame.content : '')).join('');

/** The chat doors for one caller. */
const doors = (target: ContractTarget, secret: string) => {
  const send = (
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    options?: CompareOptions,
  ) =>
    target.fetch(
      `${target.baseURL}${path}`,
      {
        method,
        headers: {
          authorization: `Bearer ${secret}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      },
      options,
    );
  return {
    send,
    post: (path: string, body: unknown, headers?: Record<string, string>, options?: CompareOptions) =>
      send('POST', path, body, headers, options),
    /** Every visible item of a conversation, oldest first, through `/chatkit`. */
    async items(threadId: string, options?: CompareOptions): Promise<ThreadItem[]> {
      const response = await send(
        'POST',
        '/chatkit',
        { type: 'items.list', params: { thread_id: threadId, order: 'asc', limit: 100 } },
        {},
        options,
      );
      const page = await readJson(response, chatKitJsonResults['items.list'], `${target.name} items.list`);
      return page.data;
    },
  };
};

const textOfItem = (item: ThreadItem | undefined): string | undefined =>
  item?.type === 'assistant_message' || item?.type === 'user_message'
    ? item.content.map((part) => part.text).join('')
    : undefined;

const fieldPaths = (envelope: { error: { details?: unknown } }): string[] =>
  (
    (envelope.error.details as { fields?: { path: string; message: string }[] } | undefined)?.fields ?? []
  ).map((field) => field.path);

/** The cases of the chat doors, in the order they run. */
export const chatContractCases: readonly ContractCase[] = [
  {
    name: 'POST /api/chat answers the whole reply, kept in a conversation that conversation_id continues',
    async run(target) {
      const api = doors(target, await target.createSecret());
      const first = await readJson(
        await api.post('/api/chat', { message: 'Hello from the chat door' }),
        ChatResponse,
        `${target.name} POST /api/chat`,
      );
      expect(first.response.length).toBeGreaterThan(0);
      expect(first.conversation_id).toMatch(/^thr_/);
      expect(first.message_id).toMatch(/^msg_/);
      expect(first.usage?.total_tokens).toBeGreaterThan(0);
      const items = await api.items(first.conversation_id);
      expect(items.map((item) => item.type)).toEqual(['user_message', 'assistant_message']);
      expect(textOfItem(items[0])).toBe('Hello from the chat door');
      expect(items[1]?.id).toBe(first.message_id);
      expect(textOfItem(items[1])).toBe(first.response);

      const second = await readJson(
        await api.post('/api/chat', { message: 'And again', conversation_id: first.conversation_id }),
        ChatResponse,
        `${target.name} POST /api/chat with conversation_id`,
      );
      expect(second.conversation_id).toBe(first.conversation_id);
      expect(second.message_id).not.toBe(first.message_id);
      const after = await api.items(first.conversation_id);
      expect(after.map((item) => item.type)).toEqual([
        'user_message',
        'assistant_message',
        'user_message',
        'assistant_message',
      ]);
      expect(textOfItem(after[2])).toBe('And again');
    },
  },
  {
    name: 'POST /api/chat/stream sends frames numbered from 1: start, chunks, then done with the whole text',
    async run(target) {
      const api = doors(target, await target.createSecret());
      const list = await readFrames(
        await api.post('/api/chat/stream', { message: 'Stream this, please' }),
        `${target.name} POST /api/chat/stream`,
      );
      const { start, done } = expectWholeReply(list, `${target.name} POST /api/chat/stream`);
      expect(start.conversation_id).toMatch(/^thr_/);
      expect(start.session_id, 'seed 000 frames carry no session_id').toBeUndefined();
      expect(done.finish_reason).toBe('stop');
      const items = await api.items(start.conversation_id);
      expect(items.map((item) => item.type)).toEqual(['user_message', 'assistant_message']);
      expect(items[1]?.id).toBe(start.message_id);
      expect(textOfItem(items[1])).toBe(done.response);
    },
  },
  {
    name: 'Last-Event-ID resumes a reply with exactly the frames after it, on POST and on GET',
    async run(target) {
      const api = doors(target, await target.createSecret());
      const what = `${target.name} resume`;
      const list = await readFrames(await api.post('/api/chat/stream', { message: 'Resume me' }), what);
      const { start } = expectWholeReply(list, what);
      const ids = list.map((frame) => frame.id);
      for (const from of [1, 3, ids.length - 2]) {
        const lastEventId = ids[from - 1] as string;
        const viaPost = await readFrames(
          await api.post(
            '/api/chat/stream',
            { message: 'not sent: a resume' },
            { 'last-event-id': lastEventId },
          ),
          `${what} POST from ${lastEventId}`,
        );
        expect(viaPost.map((frame) => frame.id)).toEqual(ids.slice(from));
        expect(viaPost.map((frame) => frame.frame)).toEqual(list.slice(from).map((frame) => frame.frame));
        const viaGet = await readFrames(
          await api.send('GET', '/api/chat/stream', undefined, { 'last-event-id': lastEventId }),
          `${what} GET from ${lastEventId}`,
        );
        expect(viaGet.map((frame) => frame.id)).toEqual(ids.slice(from));
      }
      const fromEnd = await readFrames(
        await api.send('GET', '/api/chat/stream', undefined, { 'last-event-id': ids.at(-1) as string }),
        `${what} from the last frame`,
      );
      expect(fromEnd).toEqual([]);
      expect(
        (await api.items(start.conversation_id)).map((item) => item.type),
        'a resume starts no new reply',
      ).toEqual(['user_message', 'assistant_message']);
    },
  },
  {
    name: 'GET /api/chat/stream streams a reply for EventSource, authorised by access_token',
    async run(target) {
      const secret = await target.createSecret();
      const what = `${target.name} GET /api/chat/stream`;
      const url = `${target.baseURL}/api/chat/stream?message=${encodeURIComponent('Via EventSource')}`;
      const list = await readFrames(
        await target.fetch(`${url}&access_token=${encodeURIComponent(secret)}`),
        what,
      );
      const { start } = expectWholeReply(list, what);
      const items = await doors(target, secret).items(start.conversation_id);
      expect(textOfItem(items[0])).toBe('Via EventSource');

      await readError(await target.fetch(url), 401, 'UNAUTHORIZED', `${what} without a secret`);
      await readError(
        await target.fetch(`${target.baseURL}/api/chat/stream?access_token=${encodeURIComponent(secret)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ message: 'x' }),
        }),
        401,
        'UNAUTHORIZED',
        `${target.name} POST /api/chat/stream with access_token`,
      );
      const envelope = await readError(
        await target.fetch(`${target.baseURL}/api/chat/stream?access_token=${encodeURIComponent(secret)}`),
        422,
        'VALIDATION_ERROR',
        `${what} without a message`,
      );
      expect(fieldPaths(envelope)).toContain('query.message');
    },
  },
  {
    name: 'POST /chat/ makes a session_id that continues the conversation, and /chat/stream frames carry it',
    async run(target) {
      const api = doors(target, await target.createSecret());
      const first = await readJson(
        await api.post('/chat/', { message: 'Studio hello', context: ['atc_00000000'] }),
        SessionChatResponse,
        `${target.name} POST /chat/`,
      );
      expect(first.session_id).toMatch(/^thr_/);
      expect(first.response.length).toBeGreaterThan(0);
      const second = await readJson(
        await api.post('/chat/', {
          message: 'Studio again',
          session_id: first.session_id,
          context: { file_ids: [] },
        }),
        SessionChatResponse,
        `${target.name} POST /chat/ with session_id`,
      );
      expect(second.session_id).toBe(first.session_id);
      const what = `${target.name} POST /chat/stream`;
      const list = await readFrames(
        await api.post('/chat/stream', { message: 'Studio stream', session_id: first.session_id }),
        what,
      );
      const { start, done } = expectWholeReply(list, what);
      expect(start).toMatchObject({ session_id: first.session_id, conversation_id: first.session_id });
      expect(done.session_id).toBe(first.session_id);
      const items = await api.items(first.session_id);
      expect(items.map((item) => item.type)).toEqual([
        'user_message',
        'assistant_message',
        'user_message',
        'assistant_message',
        'user_message',
        'assistant_message',
      ]);
    },
  },
  {
    name: 'cancel stops a streaming reply: it ends with finish_reason cancelled and keeps its partial text',
    async run(target) {
      const api = doors(target, await target.createSecret());
      const what = `${target.name} cancel`;
      const seen: WireFrame[] = [];
      let responseId = '';
      // How much of the reply streams before the cancel lands is timing: those answers are compared
      // by status, the cancel's own answer whole.
      const timing = { compare: 'status' } as const;
      for await (const frame of frames(
        await api.post('/api/chat/stream', { message: '/slow' }, {}, timing),
        what,
      )) {
        seen.push(frame);
        responseId = frame.responseId;
        if (frame.frame.type === 'chunk' && seen.length === 2) {
          const cancelled = await readJson(
            await api.post(`/api/chat/responses/${responseId}/cancel`, undefined),
            ChatCancelResponse,
            `${what} POST cancel`,
          );
          expect(cancelled).toEqual({ response_id: responseId, status: 'cancelled' });
        }
      }
      const { start, done } = expectWholeReply(seen, what);
      expect(done.finish_reason).toBe('cancelled');
      // A reply that has ended is `not_running`. The reference server may still answer `cancelled` in
      // the moment between sending `done` and closing the reply's books, so only the shape is pinned.
      const again = await readJson(
        await api.post(`/api/chat/responses/${responseId}/cancel`, undefined, {}, timing),
        ChatCancelResponse,
        `${what} POST cancel again`,
      );
      expect(again.response_id).toBe(responseId);
      const items = await api.items(start.conversation_id, timing);
      expect(items.map((item) => item.type)).toEqual(['user_message', 'assistant_message']);
      expect(textOfItem(items[1])).toBe(done.response);
    },
  },
  {
    name: 'another user’s reply is a 404, to resume and to cancel',
    async run(target) {
      const owner = doors(target, await target.createSecret());
      const list = await readFrames(
        await owner.post('/api/chat/stream', { message: 'Mine' }),
        `${target.name} owner stream`,
      );
      const other = doors(target, await target.createSecret());
      const id = list[1]?.id as string;
      const responseId = list[0]?.responseId as string;
      await readError(
        await other.post('/api/chat/stream', { message: 'x' }, { 'last-event-id': id }),
        404,
        'NOT_FOUND',
        `${target.name} resume by another user`,
      );
      await readError(
        await other.send('GET', '/api/chat/stream', undefined, { 'last-event-id': id }),
        404,
        'NOT_FOUND',
        `${target.name} GET resume by another user`,
      );
      await readError(
        await other.post(`/api/chat/responses/${responseId}/cancel`, undefined),
        404,
        'NOT_FOUND',
        `${target.name} cancel by another user`,
      );
      await readError(
        await owner.send('GET', '/api/chat/stream', undefined, {
          'last-event-id': 'resp_00000000deadbeef:1',
        }),
        404,
        'NOT_FOUND',
        `${target.name} resume of an unknown reply`,
      );
    },
  },
  {
    name: 'a schema-invalid chat body is a 422 naming the field',
    async run(target) {
      const api = doors(target, await target.createSecret());
      for (const [path, body] of [
        ['/api/chat', {}],
        ['/api/chat/stream', { message: '' }],
        ['/chat/', { message: 42 }],
        ['/chat/stream', { session_id: 'thr_00000000' }],
      ] as const) {
        const envelope = await readError(
          await api.post(path, body),
          422,
          'VALIDATION_ERROR',
          `${target.name} POST ${path} ${JSON.stringify(body)}`,
        );
        expect(fieldPaths(envelope)).toContain('body.message');
      }
    },
  },
  {
    name: 'an unknown conversation is a 404 and an unconfigured provider a 503',
    async run(target) {
      const api = doors(target, await target.createSecret());
      await readError(
        await api.post('/api/chat', { message: 'Anyone?', conversation_id: 'thr_00000000' }),
        404,
        'THREAD_NOT_FOUND',
        `${target.name} /api/chat with an unknown conversation`,
      );
      await readError(
        await api.post('/chat/stream', { message: 'Anyone?', session_id: 'thr_00000000' }),
        404,
        'THREAD_NOT_FOUND',
        `${target.name} /chat/stream with an unknown session`,
      );
      await readError(
        await api.post('/api/chat/stream', { message: 'Hi', provider: 'no-such-provider' }),
        503,
        'PROVIDER_NOT_CONFIGURED',
        `${target.name} /api/chat/stream with an unconfigured provider`,
      );
    },
  },
];
