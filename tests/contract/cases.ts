/**
 * @module The contract suite: cases that run unchanged against the MSW handlers and against the real
 * reference server over HTTP, so the mocks cannot drift from the server. Every response body is
 * checked against its schema from the contracts, and none may hold a `null`.
 */
import {
  ApiHealthResponse,
  Attachment,
  type ChatKitParamsOf,
  type ChatKitResultOf,
  ChatKitSession,
  chatKitJsonResults,
  HealthResponse,
  type JsonRequestType,
  type StreamingRequestType,
  type ThreadItem,
  type ThreadStreamEvent,
} from '@cartrita/contracts';
import { expect } from 'vitest';
import { eventName, readError, readEvents, readJson, type Schema } from './wire.js';

/** How a case's request is compared across targets: its whole answer (the default), or its status only. */
export interface CompareOptions {
  /**
   * `status` for an answer whose body depends on timing (how much of a reply streamed before a
   * cancel landed); everything else is compared whole.
   */
  compare?: 'body' | 'status';
}

/** What the cases run against. */
export interface ContractTarget {
  /** Shown in failures. */
  readonly name: string;
  /** Origin of the API, without a trailing slash. */
  readonly baseURL: string;
  /** `fetch`, through which the suite records every answer to compare the targets' answers. */
  fetch(input: string, init?: RequestInit, options?: CompareOptions): Promise<Response>;
  /** A client secret for a new session of a new user (two calls never share a user). */
  createSecret(): Promise<string>;
  /**
   * Headers of an API key with every scope acting for a new user (two calls never share a user),
   * for the routes only API keys reach (seed 001's).
   */
  apiHeaders(): Record<string, string>;
  /** An API key with the `observability` scope, configured on the target. */
  readonly observerKey: string;
}

/** One case of the suite. */
export interface ContractCase {
  readonly name: string;
  run(target: ContractTarget): Promise<void>;
  /** How long the case may take on all targets together; the suite's default when absent. */
  readonly timeoutMs?: number;
}

type Raw = Record<string, unknown>;

/** `/chatkit` for one caller, with every answer checked. */
const chatkit = (target: ContractTarget, secret: string | undefined) => {
  const send = (body: Raw | string, headers: Record<string, string> = {}) =>
    target.fetch(`${target.baseURL}/chatkit`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(secret === undefined ? {} : { authorization: `Bearer ${secret}` }),
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  return {
    send,
    async json<T extends JsonRequestType>(type: T, params: ChatKitParamsOf<T>): Promise<ChatKitResultOf<T>> {
      const schema = chatKitJsonResults[type] as unknown as Schema<ChatKitResultOf<T>>;
      return (await readJson(
        await send({ type, params }),
        schema,
        `${target.name} ${type}`,
      )) as ChatKitResultOf<T>;
    },
    async stream<T extends StreamingRequestType>(
      type: T,
      params: ChatKitParamsOf<T>,
    ): Promise<ThreadStreamEvent[]> {
      return readEvents(await send({ type, params }), `${target.name} ${type}`);
    },
  };
};

const message = (text: string, attachments: string[] = []) => ({
  content: [{ type: 'input_text' as const, text }],
  attachments,
  inference_options: {},
});

const doneItems = (events: ThreadStreamEvent[]): ThreadItem[] =>
  events.flatMap((event) => (event.type === 'thread.item.done' ? [event.item] : []));

const threadIdOf = (events: ThreadStreamEvent[]): string => {
  const created = events[0];
  if (created?.type !== 'thread.created')
    throw new Error(`The stream began with ${created?.type}, not thread.created`);
  return created.thread.id;
};

/** Every item of a thread, oldest first, read with `items.list` pages of `limit` following `after`. */
const allItems = async (api: ReturnType<typeof chatkit>, threadId: string, limit: number) => {
  const items: ThreadItem[] = [];
  let after: string | undefined;
  for (let pages = 0; pages < 50; pages++) {
    const page = await api.json('items.list', {
      thread_id: threadId,
      order: 'asc',
      limit,
      ...(after ? { after } : {}),
    });
    expect(page.data.length).toBeLessThanOrEqual(limit);
    items.push(...page.data);
    if (!page.has_more) return { items, pages: pages + 1 };
    expect(page.after, 'after is the id of the last returned row').toBe(page.data.at(-1)?.id);
    after = page.after;
  }
  throw new Error('items.list never ended');
};

// A 1x1 transparent PNG.
const png = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='),
  (char) => char.charCodeAt(0),
);

/** The cases, in the order they run. */
export const contractCases: readonly ContractCase[] = [
  {
    name: 'GET /health answers ok with the time and version',
    async run(target) {
      const body = await readJson(
        await target.fetch(`${target.baseURL}/health`),
        HealthResponse,
        'GET /health',
      );
      expect(body.status).toBe('ok');
    },
  },
  {
    name: 'GET /api/health answers with the uptime',
    async run(target) {
      const body = await readJson(
        await target.fetch(`${target.baseURL}/api/health`),
        ApiHealthResponse,
        'GET /api/health',
      );
      expect(body.uptime).toBeGreaterThanOrEqual(0);
    },
  },
  {
    name: 'POST /api/chatkit/session issues a client secret for a new user',
    async run(target) {
      const create = async () =>
        readJson(
          await target.fetch(`${target.baseURL}/api/chatkit/session`, { method: 'POST' }),
          ChatKitSession,
          'POST /api/chatkit/session',
        );
      const first = await create();
      const second = await create();
      expect(first.client_secret).not.toBe(second.client_secret);
      expect(first.session_id).not.toBe(second.session_id);
      expect(Date.parse(first.expires_at)).toBeGreaterThan(Date.now());
      if (first.user_id !== undefined) expect(first.user_id).not.toBe(second.user_id);
    },
  },
  {
    name: 'threads.create streams the golden event order',
    async run(target) {
      const events = await chatkit(target, await target.createSecret()).stream('threads.create', {
        input: message('Hello from the contract suite'),
      });
      const order = events.map(eventName).join(' ');
      expect(order).toMatch(
        new RegExp(
          '^thread.created thread.item.done:user_message stream_options (progress_update )*' +
            'thread.item.added:assistant_message added( text_delta)+ done thread.item.done:assistant_message thread.updated$',
        ),
      );
      const threadId = threadIdOf(events);
      const created = events[0];
      expect(created?.type === 'thread.created' && created.thread.items).toEqual({
        data: [],
        has_more: false,
      });
      const [user, assistant] = doneItems(events);
      expect(user).toMatchObject({ type: 'user_message', thread_id: threadId, attachments: [] });
      expect(user?.type === 'user_message' && user.content).toEqual(
        message('Hello from the contract suite').content,
      );
      let joined = '';
      for (const event of events) {
        if (event.type !== 'thread.item.updated') continue;
        expect(event.item_id).toBe(assistant?.id);
        if (event.update.type === 'assistant_message.content_part.text_delta') joined += event.update.delta;
      }
      expect(assistant?.type === 'assistant_message' && assistant.content[0]?.text).toBe(joined);
      expect(joined.length).toBeGreaterThan(0);
      const updated = events.at(-1);
      expect(updated?.type === 'thread.updated' && updated.thread.title).toBeTruthy();
    },
  },
  {
    name: 'a whole conversation: create, list, get, page, add, retry, feedback, rename, delete',
    async run(target) {
      const api = chatkit(target, await target.createSecret());
      const threadId = threadIdOf(await api.stream('threads.create', { input: message('First question') }));

      const list = await api.json('threads.list', {});
      const listed = list.data.find((thread) => thread.id === threadId);
      expect(listed?.title, 'the first turn names the thread').toBeTruthy();
      expect(listed?.items).toEqual({ data: [], has_more: false });

      const thread = await api.json('threads.get_by_id', { thread_id: threadId });
      expect(thread.items.data[0]?.type).toBe('user_message');
      expect(thread.items.data.some((item) => item.type === 'assistant_message')).toBe(true);

      for (const text of ['Second question', 'Third question']) {
        const events = await api.stream('threads.add_user_message', {
          thread_id: threadId,
          input: message(text),
        });
        expect(events.map(eventName).slice(0, 2)).toEqual([
          'thread.item.done:user_message',
          'stream_options',
        ]);
        expect(events.some((event) => event.type === 'thread.created')).toBe(false);
      }

      const full = await api.json('threads.get_by_id', { thread_id: threadId });
      const { items, pages } = await allItems(api, threadId, 2);
      expect(pages).toBeGreaterThanOrEqual(3);
      expect(items.map((item) => item.id)).toEqual(full.items.data.map((item) => item.id));
      const users = items.filter((item) => item.type === 'user_message');
      expect(users.map((item) => item.type === 'user_message' && item.content[0]?.text)).toEqual([
        'First question',
        'Second question',
        'Third question',
      ]);
      const newestFirst = await api.json('items.list', { thread_id: threadId, limit: 100 });
      expect(newestFirst.data.map((item) => item.id)).toEqual(items.map((item) => item.id).reverse());

      const second = users[1]!;
      const kept = items
        .slice(0, items.findIndex((item) => item.id === second.id) + 1)
        .map((item) => item.id);
      const dropped = items.map((item) => item.id).filter((id) => !kept.includes(id));
      const retried = await api.stream('threads.retry_after_item', {
        thread_id: threadId,
        item_id: second.id,
      });
      expect(retried[0]?.type).toBe('stream_options');
      expect(retried.some((event) => event.type === 'thread.item.removed')).toBe(false);
      const after = await allItems(api, threadId, 100);
      const afterIds = after.items.map((item) => item.id);
      expect(afterIds.slice(0, kept.length)).toEqual(kept);
      for (const id of dropped)
        expect(afterIds, `item ${id} after the retried message is gone`).not.toContain(id);
      expect(after.items.slice(kept.length).some((item) => item.type === 'assistant_message')).toBe(true);

      const assistant = after.items.find((item) => item.type === 'assistant_message')!;
      expect(
        await api.json('items.feedback', { thread_id: threadId, item_ids: [assistant.id], kind: 'positive' }),
      ).toEqual({});

      const renamed = await api.json('threads.update', {
        thread_id: threadId,
        title: 'Renamed by the suite',
      });
      expect(renamed).toMatchObject({ id: threadId, title: 'Renamed by the suite', items: { data: [] } });

      expect(await api.json('threads.delete', { thread_id: threadId })).toEqual({});
      await readError(
        await api.send({ type: 'threads.get_by_id', params: { thread_id: threadId } }),
        404,
        'THREAD_NOT_FOUND',
        `${target.name} threads.get_by_id after delete`,
      );
    },
  },
  {
    name: 'a two-phase attachment is uploaded, sent and previewed',
    async run(target) {
      const secret = await target.createSecret();
      const api = chatkit(target, secret);
      const created = await api.json('attachments.create', {
        name: 'pixel.png',
        size: png.byteLength,
        mime_type: 'image/png',
      });
      expect(created).toMatchObject({ type: 'image', name: 'pixel.png', mime_type: 'image/png' });
      const descriptor = created.upload_descriptor;
      if (!descriptor) throw new Error('attachments.create answered no upload_descriptor');
      let body: BodyInit = png;
      if (descriptor.method === 'POST') {
        const form = new FormData();
        form.append('file', new Blob([png], { type: 'image/png' }), 'pixel.png');
        body = form;
      }
      const uploaded = await readJson(
        await target.fetch(descriptor.url, { method: descriptor.method, headers: descriptor.headers, body }),
        Attachment,
        `${target.name} upload to upload_descriptor.url`,
      );
      expect(uploaded).toMatchObject({ id: created.id, type: 'image' });
      expect(uploaded.upload_descriptor).toBeUndefined();

      const events = await api.stream('threads.create', {
        input: message('What is in this image?', [created.id]),
      });
      const threadId = threadIdOf(events);
      const user = doneItems(events).find((item) => item.type === 'user_message');
      const attachment = user?.type === 'user_message' ? user.attachments[0] : undefined;
      expect(attachment).toMatchObject({
        id: created.id,
        type: 'image',
        name: 'pixel.png',
        mime_type: 'image/png',
        thread_id: threadId,
      });
      expect(attachment?.upload_descriptor).toBeUndefined();
      const previewUrl = attachment?.type === 'image' ? attachment.preview_url : '';
      const preview = await target.fetch(previewUrl);
      expect(preview.status).toBe(200);
      expect(preview.headers.get('content-type')).toMatch(/^image\/png/);
      expect(new Uint8Array(await preview.arrayBuffer())).toEqual(png);
    },
  },
  {
    name: 'a direct upload to /chatkit/attachments answers the attachment',
    async run(target) {
      const form = new FormData();
      form.append('file', new Blob(['Some notes'], { type: 'text/plain' }), 'notes.txt');
      const response = await target.fetch(`${target.baseURL}/chatkit/attachments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await target.createSecret()}` },
        body: form,
      });
      const attachment = await readJson(response, Attachment, `${target.name} POST /chatkit/attachments`);
      expect(attachment).toMatchObject({ type: 'file', name: 'notes.txt', mime_type: 'text/plain' });
      expect(attachment.id).toMatch(/^atc_/);
      expect(attachment.upload_descriptor).toBeUndefined();
    },
  },
  {
    name: 'attachments.delete removes an attachment once',
    async run(target) {
      const api = chatkit(target, await target.createSecret());
      const created = await api.json('attachments.create', {
        name: 'a.txt',
        size: 3,
        mime_type: 'text/plain',
      });
      expect(await api.json('attachments.delete', { attachment_id: created.id })).toEqual({});
      await readError(
        await api.send({ type: 'attachments.delete', params: { attachment_id: created.id } }),
        404,
        'ATTACHMENT_NOT_FOUND',
        `${target.name} attachments.delete twice`,
      );
    },
  },
  {
    name: 'another user’s thread is a 404',
    async run(target) {
      const owner = chatkit(target, await target.createSecret());
      const threadId = threadIdOf(await owner.stream('threads.create', { input: message('Mine') }));
      const other = chatkit(target, await target.createSecret());
      for (const request of [
        { type: 'threads.get_by_id', params: { thread_id: threadId } },
        { type: 'items.list', params: { thread_id: threadId } },
        { type: 'threads.delete', params: { thread_id: threadId } },
        { type: 'threads.add_user_message', params: { thread_id: threadId, input: message('Yours?') } },
      ]) {
        await readError(
          await other.send(request),
          404,
          'THREAD_NOT_FOUND',
          `${target.name} ${request.type} by another user`,
        );
      }
      const list = await other.json('threads.list', {});
      expect(list.data.map((thread) => thread.id)).not.toContain(threadId);
      expect((await owner.json('threads.get_by_id', { thread_id: threadId })).id).toBe(threadId);
    },
  },
  {
    name: 'a missing or unknown client secret is a 401',
    async run(target) {
      for (const secret of [undefined, 'not-a-client-secret']) {
        await readError(
          await chatkit(target, secret).send({ type: 'threads.list', params: {} }),
          401,
          'UNAUTHORIZED',
          `${target.name} /chatkit with secret ${secret}`,
        );
      }
    },
  },
  {
    name: 'a schema-invalid request is a 422 naming the field',
    async run(target) {
      const api = chatkit(target, await target.createSecret());
      const envelope = await readError(
        await api.send({
          type: 'threads.create',
          params: { input: { content: [{ type: 'input_text', text: 'Hi' }], inference_options: {} } },
        }),
        422,
        'VALIDATION_ERROR',
        `${target.name} threads.create without attachments`,
      );
      const fields = envelope.error.details?.fields as { path: string; message: string }[] | undefined;
      expect(fields?.map((field) => field.path)).toContain('body.params.input.attachments');
      for (const field of fields ?? []) expect(field.message).toMatch(/\S/);
    },
  },
  {
    name: 'input.transcribe without a voice provider is a 503',
    async run(target) {
      const api = chatkit(target, await target.createSecret());
      await readError(
        await api.send({
          type: 'input.transcribe',
          params: { audio_base64: 'AAAA', mime_type: 'audio/webm' },
        }),
        503,
        'PROVIDER_NOT_CONFIGURED',
        `${target.name} input.transcribe`,
      );
    },
  },
  {
    name: 'malformed JSON is a 400',
    async run(target) {
      await readError(
        await chatkit(target, await target.createSecret()).send('{"type": "threads.list", '),
        400,
        'BAD_REQUEST',
        `${target.name} malformed JSON`,
      );
    },
  },
  {
    name: 'an unknown thread is a 404',
    async run(target) {
      const api = chatkit(target, await target.createSecret());
      for (const request of [
        { type: 'threads.get_by_id', params: { thread_id: 'thr_00000000' } },
        {
          type: 'threads.add_user_message',
          params: { thread_id: 'thr_00000000', input: message('Anyone?') },
        },
      ]) {
        await readError(
          await api.send(request),
          404,
          'THREAD_NOT_FOUND',
          `${target.name} ${request.type} unknown`,
        );
      }
    },
  },
];
