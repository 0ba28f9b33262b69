import {
  Attachment,
  type ChatKitRequestInput,
  ChatKitSession,
  chatKitJsonResults,
  ErrorEnvelope,
  ThreadStreamEvent,
} from '@cartrita/contracts';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createScenarios } from '../scenarios.js';
import { createStore } from '../store.js';
import { CANCELLED_CONTEXT } from '../turn.js';
import { createHandlers } from './index.js';

const baseURL = 'http://cartrita.test';
const store = createStore({ baseURL });
const server = setupServer(...createHandlers({ store, scenarios: createScenarios() }));

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => store.reset());
afterAll(() => server.close());

const newSecret = async (): Promise<string> => {
  const response = await fetch(`${baseURL}/api/chatkit/session`, { method: 'POST' });
  return ChatKitSession.parse(await response.json()).client_secret;
};

const post = (secret: string | undefined, body: ChatKitRequestInput | string, init: RequestInit = {}) =>
  fetch(`${baseURL}/chatkit`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(secret ? { authorization: `Bearer ${secret}` } : {}),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init,
  });

const readEvents = async (response: Response): Promise<ThreadStreamEvent[]> => {
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  const text = await response.text();
  expect(text).toMatch(/^(data: [^\n]+\n\n)*$/);
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((frame) => ThreadStreamEvent.parse(JSON.parse(frame.slice('data: '.length))));
};

const message = (text: string, attachments: string[] = []) => ({
  content: [{ type: 'input_text' as const, text }],
  attachments,
  inference_options: {},
});

const createThread = async (secret: string, text = 'Hello there') => {
  const events = await readEvents(
    await post(secret, { type: 'threads.create', params: { input: message(text) } }),
  );
  const created = events[0];
  if (created?.type !== 'thread.created') throw new Error('no thread.created');
  return { threadId: created.thread.id, events };
};

const json = async <T>(response: Response, schema: { parse(value: unknown): T }): Promise<T> => {
  expect(response.headers.get('x-request-id')).toMatch(/^req_/);
  return schema.parse(await response.json());
};

const describeEvent = (event: ThreadStreamEvent) =>
  event.type === 'thread.item.updated'
    ? event.update.type
    : event.type.startsWith('thread.item.') && 'item' in event
      ? `${event.type}:${event.item.type}`
      : event.type;

describe('threads.create', () => {
  it('streams the golden event order and titles the thread on the first turn', async () => {
    const { events } = await createThread(await newSecret());
    const order = events.map(describeEvent);
    const deltas = order.filter((type) => type === 'assistant_message.content_part.text_delta').length;
    expect(deltas).toBeGreaterThan(2);
    expect(order).toEqual([
      'thread.created',
      'thread.item.done:user_message',
      'stream_options',
      'thread.item.added:assistant_message',
      'assistant_message.content_part.added',
      ...Array(deltas).fill('assistant_message.content_part.text_delta'),
      'assistant_message.content_part.done',
      'thread.item.done:assistant_message',
      'thread.updated',
    ]);
    expect(events[2]).toEqual({ type: 'stream_options', stream_options: { allow_cancel: true } });
    const updated = events.at(-1);
    expect(updated?.type === 'thread.updated' && updated.thread.title).toBe('Hello there');
  });

  it('streams deltas that join into the final text', async () => {
    const { events } = await createThread(await newSecret(), 'Tell me a story');
    let joined = '';
    for (const event of events) {
      if (
        event.type === 'thread.item.updated' &&
        event.update.type === 'assistant_message.content_part.text_delta'
      ) {
        joined += event.update.delta;
      }
    }
    const done = events.find(
      (event) => event.type === 'thread.item.done' && event.item.type === 'assistant_message',
    );
    expect(
      done?.type === 'thread.item.done' &&
        done.item.type === 'assistant_message' &&
        done.item.content[0]?.text,
    ).toBe(joined);
    expect(joined).toContain('Tell me a story');
  });

  it('writes each event as one compact data line and nothing else', async () => {
    const response = await post(await newSecret(), {
      type: 'threads.create',
      params: { input: message('Hi') },
    });
    const text = await response.text();
    for (const frame of text.split('\n\n').filter(Boolean)) {
      expect(frame.startsWith('data: ')).toBe(true);
      const payload = frame.slice(6);
      expect(JSON.stringify(JSON.parse(payload))).toBe(payload);
    }
    expect(text).not.toMatch(/^(event|id|retry):/m);
    expect(text).not.toContain('null');
  });

  it('uses the reference id style and UTC timestamps', async () => {
    const { events } = await createThread(await newSecret());
    const created = events[0];
    const user = events[1];
    expect(created?.type === 'thread.created' && created.thread.id).toMatch(/^thr_[0-9a-f]{8}$/);
    expect(user?.type === 'thread.item.done' && user.item.id).toMatch(/^msg_[0-9a-f]{8}$/);
    expect(user?.type === 'thread.item.done' && user.item.created_at).toMatch(/Z$/);
  });
});

describe('scripted replies', () => {
  it('answers with the queued replies in order, then the default one', async () => {
    const secret = await newSecret();
    store.respondWith('First **reply**', ({ input }) => `Echo: ${input?.content[0]?.text}`);
    const texts = [];
    for (const text of ['one', 'two', 'three']) {
      const { events } = await createThread(secret, text);
      const done = events.find(
        (event) => event.type === 'thread.item.done' && event.item.type === 'assistant_message',
      );
      texts.push(
        done?.type === 'thread.item.done' &&
          done.item.type === 'assistant_message' &&
          done.item.content[0]?.text,
      );
    }
    expect(texts[0]).toBe('First **reply**');
    expect(texts[1]).toBe('Echo: two');
    expect(texts[2]).toContain('You said: *three*');
  });

  it('streams progress, notices and custom errors from a list of parts', async () => {
    store.respondWith([
      { type: 'progress', text: 'Thinking...', icon: 'search' },
      { type: 'notice', level: 'warning', message: 'Heads up' },
      { type: 'error', message: 'Custom failure shown to user', allow_retry: true },
    ]);
    const { events } = await createThread(await newSecret());
    expect(events.slice(3, 6)).toEqual([
      { type: 'progress_update', icon: 'search', text: 'Thinking...' },
      { type: 'notice', level: 'warning', message: 'Heads up' },
      { type: 'error', code: 'custom', message: 'Custom failure shown to user', allow_retry: true },
    ]);
  });

  it('turns a responder that throws into a stream.error event', async () => {
    store.respondWith(() => {
      throw new Error('boom');
    });
    const { events } = await createThread(await newSecret());
    expect(events.map((event) => event.type)).toContain('error');
    expect(events.find((event) => event.type === 'error')).toEqual({
      type: 'error',
      code: 'stream.error',
      allow_retry: true,
    });
  });

  it('fails loudly when a scripted reply would break the contract', async () => {
    store.respondWith([{ type: 'notice', level: 'loud' as 'info', message: 'x' }]);
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (error: unknown) => errors.push(error);
    try {
      const response = await post(await newSecret(), {
        type: 'threads.create',
        params: { input: message('Hi') },
      });
      await expect(response.text()).rejects.toThrow();
    } finally {
      console.error = original;
    }
    expect(String(errors[0])).toMatch(
      /MockContractError: An event of chatkit.request would break its schema/,
    );
  });
});

describe('threads.add_user_message and titles', () => {
  it('streams without thread.created and keeps the first title', async () => {
    const secret = await newSecret();
    const { threadId } = await createThread(secret, 'First question');
    const events = await readEvents(
      await post(secret, {
        type: 'threads.add_user_message',
        params: { thread_id: threadId, input: message('Again') },
      }),
    );
    const order = events.map(describeEvent);
    expect(order.slice(0, 3)).toEqual([
      'thread.item.done:user_message',
      'stream_options',
      'thread.item.added:assistant_message',
    ]);
    expect(order.at(-1)).toBe('thread.item.done:assistant_message');
    expect(store.thread(threadId)?.title).toBe('First question');
  });
});

describe('client tool calls', () => {
  it('completes the pending call without an event and answers the output', async () => {
    const secret = await newSecret();
    store.respondWith([{ type: 'client_tool_call', name: 'get_selection', arguments: { project: 'p1' } }]);
    const { threadId, events } = await createThread(secret, 'What did I select?');
    const call = events.find(
      (event) => event.type === 'thread.item.done' && event.item.type === 'client_tool_call',
    );
    expect(call).toMatchObject({
      item: { status: 'pending', name: 'get_selection', arguments: { project: 'p1' } },
    });
    expect(events.at(-1)?.type).toBe('thread.updated');

    const answer = await readEvents(
      await post(secret, {
        type: 'threads.add_client_tool_output',
        params: { thread_id: threadId, result: { nodes: [1, 2], empty: null } },
      }),
    );
    expect(answer.map(describeEvent).slice(0, 2)).toEqual([
      'stream_options',
      'thread.item.added:assistant_message',
    ]);
    const items = store.visibleItems(store.thread(threadId)!);
    expect(items.find((item) => item.type === 'client_tool_call')).toMatchObject({
      status: 'completed',
      output: { nodes: [1, 2] },
    });
  });

  it('refuses a tool output when the newest item is not a pending call', async () => {
    const secret = await newSecret();
    const { threadId } = await createThread(secret);
    const response = await post(secret, {
      type: 'threads.add_client_tool_output',
      params: { thread_id: threadId, result: {} },
    });
    expect(response.status).toBe(409);
    expect((await json(response, ErrorEnvelope)).error.code).toBe('CONFLICT');
  });
});

describe('structured input', () => {
  it('replaces the answered form and then replies', async () => {
    const secret = await newSecret();
    store.respondWith([
      {
        type: 'structured_input',
        inputs: [
          {
            type: 'multiple_choice',
            id: 'size',
            question: 'Size?',
            options: [{ value: 's' }, { value: 'm' }],
          },
        ],
      },
    ]);
    const { threadId, events } = await createThread(secret, 'Order a shirt');
    const form = events.find(
      (event) => event.type === 'thread.item.done' && event.item.type === 'structured_input',
    );
    const itemId = form?.type === 'thread.item.done' ? form.item.id : '';
    const answer = await readEvents(
      await post(secret, {
        type: 'threads.add_structured_input',
        params: { thread_id: threadId, item_id: itemId, input: { answers: { size: { values: ['m'] } } } },
      }),
    );
    expect(answer.map(describeEvent).slice(0, 3)).toEqual([
      'stream_options',
      'thread.item.replaced:structured_input',
      'thread.item.added:assistant_message',
    ]);
    expect(answer[1]).toMatchObject({
      item: {
        status: 'answered',
        inputs: [{ id: 'size', multiple: false, answer: { values: ['m'], skipped: false } }],
      },
    });
  });
});

describe('custom actions', () => {
  it('answers an action sent from a non-widget item with a stream.error event', async () => {
    const secret = await newSecret();
    const { threadId, events } = await createThread(secret);
    const user = events[1];
    const itemId = user?.type === 'thread.item.done' ? user.item.id : '';
    const answer = await readEvents(
      await post(secret, {
        type: 'threads.custom_action',
        params: { thread_id: threadId, item_id: itemId, action: { type: 'save' } },
      }),
    );
    expect(answer).toEqual([
      { type: 'stream_options', stream_options: { allow_cancel: true } },
      { type: 'error', code: 'stream.error', allow_retry: false },
    ]);
  });

  it('runs a widget action through the responder', async () => {
    const secret = await newSecret();
    store.respondWith([{ type: 'widget', widget: { type: 'Card', children: [] }, copy_text: 'card' }]);
    const { threadId, events } = await createThread(secret);
    const widget = events.find((event) => event.type === 'thread.item.done' && event.item.type === 'widget');
    const itemId = widget?.type === 'thread.item.done' ? widget.item.id : '';
    const answer = await readEvents(
      await post(secret, {
        type: 'threads.custom_action',
        params: {
          thread_id: threadId,
          item_id: itemId,
          action: { type: 'pick', payload: { colour: 'red' } },
        },
      }),
    );
    const done = answer.find((event) => event.type === 'thread.item.done');
    expect(done).toMatchObject({ item: { content: [{ text: 'Action `pick` received.' }] } });
  });
});

describe('threads.retry_after_item', () => {
  it('drops every item after the user message and answers it again', async () => {
    const secret = await newSecret();
    const { threadId, events } = await createThread(secret);
    const first = events[1];
    const firstId = first?.type === 'thread.item.done' ? first.item.id : '';
    await readEvents(
      await post(secret, {
        type: 'threads.add_user_message',
        params: { thread_id: threadId, input: message('More') },
      }),
    );
    expect(store.visibleItems(store.thread(threadId)!)).toHaveLength(4);
    const retried = await readEvents(
      await post(secret, {
        type: 'threads.retry_after_item',
        params: { thread_id: threadId, item_id: firstId },
      }),
    );
    expect(retried.map(describeEvent)[0]).toBe('stream_options');
    expect(retried.some((event) => event.type === 'thread.item.removed')).toBe(false);
    const items = store.visibleItems(store.thread(threadId)!);
    expect(items.map((item) => item.type)).toEqual(['user_message', 'assistant_message']);
    expect(items[0]?.id).toBe(firstId);
  });

  it('refuses to retry after an item that is not a user message', async () => {
    const secret = await newSecret();
    const { threadId, events } = await createThread(secret);
    const assistant = events.find(
      (event) => event.type === 'thread.item.done' && event.item.type === 'assistant_message',
    );
    const itemId = assistant?.type === 'thread.item.done' ? assistant.item.id : '';
    const response = await post(secret, {
      type: 'threads.retry_after_item',
      params: { thread_id: threadId, item_id: itemId },
    });
    expect(response.status).toBe(400);
  });
});

describe('JSON request types', () => {
  it('pages items with after set to the id of the last returned row', async () => {
    const secret = await newSecret();
    const { threadId } = await createThread(secret);
    for (const text of ['two', 'three']) {
      await readEvents(
        await post(secret, {
          type: 'threads.add_user_message',
          params: { thread_id: threadId, input: message(text) },
        }),
      );
    }
    const schema = chatKitJsonResults['items.list'];
    const first = await json(
      await post(secret, { type: 'items.list', params: { thread_id: threadId, order: 'asc', limit: 4 } }),
      schema,
    );
    expect(first.data).toHaveLength(4);
    expect(first.has_more).toBe(true);
    expect(first.after).toBe(first.data[3]?.id);
    const second = await json(
      await post(secret, {
        type: 'items.list',
        params: { thread_id: threadId, order: 'asc', limit: 4, after: first.after ?? null },
      }),
      schema,
    );
    expect(second.data).toHaveLength(2);
    expect(second.has_more).toBe(false);
    const newestFirst = await json(
      await post(secret, { type: 'items.list', params: { thread_id: threadId } }),
      schema,
    );
    expect(newestFirst.data.map((item) => item.id)).toEqual(
      [...first.data, ...second.data].map((i) => i.id).reverse(),
    );
  });

  it('never returns hidden items', async () => {
    const secret = await newSecret();
    const { threadId } = await createThread(secret);
    store.addItem(threadId, { type: 'hidden_context_item', content: { secret: true } });
    const thread = await json(
      await post(secret, { type: 'threads.get_by_id', params: { thread_id: threadId } }),
      chatKitJsonResults['threads.get_by_id'],
    );
    expect(thread.items.data.map((item) => item.type)).toEqual(['user_message', 'assistant_message']);
    expect(store.thread(threadId)?.items).toHaveLength(3);
  });

  it('returns the first 20 items oldest first from threads.get_by_id', async () => {
    const secret = await newSecret();
    const { threadId } = await createThread(secret);
    for (let i = 0; i < 19; i++) store.addItem(threadId, { type: 'end_of_turn' });
    const thread = await json(
      await post(secret, { type: 'threads.get_by_id', params: { thread_id: threadId } }),
      chatKitJsonResults['threads.get_by_id'],
    );
    expect(thread.items.data).toHaveLength(20);
    expect(thread.items.has_more).toBe(true);
    expect(thread.items.data[0]?.type).toBe('user_message');
  });

  it('renames, lists, records feedback and deletes threads', async () => {
    const secret = await newSecret();
    const { threadId, events } = await createThread(secret);
    const renamed = await json(
      await post(secret, { type: 'threads.update', params: { thread_id: threadId, title: 'Renamed' } }),
      chatKitJsonResults['threads.update'],
    );
    expect(renamed).toMatchObject({ title: 'Renamed', items: { data: [], has_more: false } });
    const list = await json(
      await post(secret, { type: 'threads.list', params: {} }),
      chatKitJsonResults['threads.list'],
    );
    expect(list.data.map((thread) => thread.title)).toEqual(['Renamed']);
    const assistant = events.find(
      (event) => event.type === 'thread.item.done' && event.item.type === 'assistant_message',
    );
    const itemId = assistant?.type === 'thread.item.done' ? assistant.item.id : '';
    const feedback = await post(secret, {
      type: 'items.feedback',
      params: { thread_id: threadId, item_ids: [itemId], kind: 'positive' },
    });
    expect(await feedback.json()).toEqual({});
    expect(store.feedback).toMatchObject([{ threadId, itemIds: [itemId], kind: 'positive' }]);
    const deleted = await post(secret, { type: 'threads.delete', params: { thread_id: threadId } });
    expect(await deleted.json()).toEqual({});
    const gone = await post(secret, { type: 'threads.get_by_id', params: { thread_id: threadId } });
    expect(gone.status).toBe(404);
    expect((await json(gone, ErrorEnvelope)).error.code).toBe('THREAD_NOT_FOUND');
  });

  it('hides another user’s thread behind a 404', async () => {
    const { threadId } = await createThread(await newSecret());
    const other = await newSecret();
    const response = await post(other, { type: 'threads.get_by_id', params: { thread_id: threadId } });
    expect(response.status).toBe(404);
    const list = await json(
      await post(other, { type: 'threads.list', params: {} }),
      chatKitJsonResults['threads.list'],
    );
    expect(list.data).toEqual([]);
  });

  it('answers input.transcribe with 503 while no transcription is configured', async () => {
    const response = await post(await newSecret(), {
      type: 'input.transcribe',
      params: { audio_base64: 'AAAA', mime_type: 'audio/webm' },
    });
    expect(response.status).toBe(503);
    expect((await response.json()).error.code).toBe('PROVIDER_NOT_CONFIGURED');
  });

  it('transcribes audio with the configured text', async () => {
    const voiced = createStore({ baseURL: 'http://voiced.test', transcribe: () => 'hello there' });
    server.use(...createHandlers({ store: voiced }));
    try {
      const secret = ChatKitSession.parse(
        await (await fetch('http://voiced.test/api/chatkit/session', { method: 'POST' })).json(),
      ).client_secret;
      const response = await fetch('http://voiced.test/chatkit', {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'input.transcribe',
          params: { audio_base64: 'AAAA', mime_type: 'audio/webm' },
        }),
      });
      expect(await json(response, chatKitJsonResults['input.transcribe'])).toEqual({ text: 'hello there' });
    } finally {
      server.resetHandlers();
    }
  });

  it('fails loudly when the fake would answer an invalid JSON body', async () => {
    const broken = createStore({ baseURL: 'http://broken.test', transcribe: () => 42 as unknown as string });
    server.use(...createHandlers({ store: broken }));
    const secret = ChatKitSession.parse(
      await (await fetch('http://broken.test/api/chatkit/session', { method: 'POST' })).json(),
    ).client_secret;
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (error: unknown) => errors.push(error);
    try {
      const outcome = await fetch('http://broken.test/chatkit', {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'input.transcribe',
          params: { audio_base64: 'AA', mime_type: 'audio/webm' },
        }),
      }).then(
        (response) => response.status,
        () => 'network error',
      );
      expect(outcome === 500 || outcome === 'network error').toBe(true);
    } finally {
      console.error = original;
      server.resetHandlers();
    }
    expect(errors.map(String).join('\n')).toMatch(/The answer of chatkit.request would break its schema/);
  });
});

describe('request validation', () => {
  it('answers 401 without a client secret and with an unknown one', async () => {
    for (const secret of [undefined, 'cks_fake_unknown']) {
      const response = await post(secret, { type: 'threads.list', params: {} });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect((await json(response, ErrorEnvelope)).error).toMatchObject({
        code: 'UNAUTHORIZED',
        type: 'AuthenticationError',
      });
    }
  });

  it('answers 401 once a client secret has expired', async () => {
    const expired = store.createSession({ ttlSeconds: -1 });
    expect(store.sessions).toHaveLength(1);
    const response = await post(expired.client_secret, { type: 'threads.list', params: {} });
    expect(response.status).toBe(401);
  });

  it('lets an API key act for the user named in X-Cartrita-User', async () => {
    const keyed = createStore({ baseURL: 'http://keyed.test', apiKeys: ['sk_test'] });
    server.use(...createHandlers({ store: keyed }));
    try {
      const list = (headers: Record<string, string>) =>
        fetch('http://keyed.test/chatkit', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ type: 'threads.list', params: {} }),
        });
      const thread = keyed.createThread('usr_bob');
      const asBob = await json(
        await list({ 'x-api-key': 'sk_test', 'x-cartrita-user': 'usr_bob' }),
        chatKitJsonResults['threads.list'],
      );
      expect(asBob.data.map((t) => t.id)).toEqual([thread.id]);
      const asService = await json(
        await list({ authorization: 'Bearer sk_test' }),
        chatKitJsonResults['threads.list'],
      );
      expect(asService.data).toEqual([]);
    } finally {
      server.resetHandlers();
    }
  });

  it('refuses new messages in a locked thread', async () => {
    const secret = await newSecret();
    const { threadId } = await createThread(secret);
    const thread = store.thread(threadId)!;
    thread.status = { type: 'locked', reason: 'Read only' };
    const response = await post(secret, {
      type: 'threads.add_user_message',
      params: { thread_id: threadId, input: message('Still there?') },
    });
    expect(response.status).toBe(409);
  });

  it('accepts the client secret as X-Session-Token', async () => {
    const secret = await newSecret();
    const response = await fetch(`${baseURL}/chatkit`, {
      method: 'POST',
      headers: { 'x-session-token': secret, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'threads.list', params: {} }),
    });
    expect(response.status).toBe(200);
  });

  it('answers 400 to malformed JSON', async () => {
    const response = await post(await newSecret(), '{"type": ');
    expect(response.status).toBe(400);
    expect((await json(response, ErrorEnvelope)).error.code).toBe('BAD_REQUEST');
  });

  it('answers 422 naming each failing field', async () => {
    const response = await post(await newSecret(), {
      type: 'threads.create',
      params: { input: { content: [{ type: 'input_text', text: 'Hi' }], inference_options: {} } },
    } as ChatKitRequestInput);
    expect(response.status).toBe(422);
    const envelope = await json(response, ErrorEnvelope);
    expect(envelope.error.code).toBe('VALIDATION_ERROR');
    expect(envelope.error.details?.fields).toEqual([
      { path: 'body.params.input.attachments', message: 'Invalid input: expected array, received undefined' },
    ]);
  });

  it('answers 422 to an unknown request type', async () => {
    const response = await post(await newSecret(), '{"type":"threads.explode","params":{}}');
    expect(response.status).toBe(422);
    expect((await json(response, ErrorEnvelope)).error.details?.fields).toMatchObject([
      { path: 'body.type' },
    ]);
  });

  it('answers 415 to a body that is not JSON', async () => {
    const response = await fetch(`${baseURL}/chatkit`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await newSecret()}`, 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(response.status).toBe(415);
  });

  it('answers 404 to an unknown thread and an unknown attachment', async () => {
    const secret = await newSecret();
    const thread = await post(secret, { type: 'items.list', params: { thread_id: 'thr_00000000' } });
    expect(thread.status).toBe(404);
    expect((await json(thread, ErrorEnvelope)).error.code).toBe('THREAD_NOT_FOUND');
    const attachment = await post(secret, {
      type: 'threads.create',
      params: { input: message('Hi', ['atc_0']) },
    });
    expect(attachment.status).toBe(404);
    expect((await json(attachment, ErrorEnvelope)).error.code).toBe('ATTACHMENT_NOT_FOUND');
    expect(store.threadsOf(store.sessions[0]?.userId ?? '')).toEqual([]);
  });

  it('echoes a sane X-Request-Id and makes one up otherwise', async () => {
    const echoed = await fetch(`${baseURL}/health`, { headers: { 'x-request-id': 'trace-1' } });
    expect(echoed.headers.get('x-request-id')).toBe('trace-1');
    const made = await fetch(`${baseURL}/health`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(made.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{12}$/);
  });
});

describe('sessions', () => {
  it('issues a fake client secret for a fresh anonymous user each time', async () => {
    const first = await json(
      await fetch(`${baseURL}/api/chatkit/session`, { method: 'POST' }),
      ChatKitSession,
    );
    const second = await json(
      await fetch(`${baseURL}/api/chatkit/session`, { method: 'POST' }),
      ChatKitSession,
    );
    expect(first.client_secret).toMatch(/^cks_fake_[0-9a-f]{32}$/);
    expect(first.session_id).toMatch(/^sess_/);
    expect(first.user_id).not.toBe(second.user_id);
    expect(Date.parse(first.expires_at)).toBeGreaterThan(Date.now());
  });

  it('lets only callers with an API key name the user', async () => {
    const keyed = createStore({ baseURL: 'http://keyed.test', apiKeys: ['sk_test'] });
    server.use(...createHandlers({ store: keyed }));
    try {
      const create = (headers: Record<string, string>) =>
        fetch('http://keyed.test/api/chatkit/session', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ user: 'alice', ttl_seconds: 120 }),
        });
      const named = await json(await create({ authorization: 'Bearer sk_test' }), ChatKitSession);
      expect(named.user_id).toBe('usr_alice');
      const anonymous = await create({});
      expect(anonymous.status).toBe(403);
      expect((await json(anonymous, ErrorEnvelope)).error.code).toBe('FORBIDDEN');
    } finally {
      server.resetHandlers();
    }
  });

  it('answers 422 to a ttl out of range', async () => {
    const response = await fetch(`${baseURL}/api/chatkit/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ttl_seconds: 5 }),
    });
    expect(response.status).toBe(422);
    expect((await json(response, ErrorEnvelope)).error.details?.fields).toMatchObject([
      { path: 'body.ttl_seconds' },
    ]);
  });
});

describe('attachments', () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);

  it('takes a two-phase upload and carries it on the user message', async () => {
    const secret = await newSecret();
    const created = await json(
      await post(secret, {
        type: 'attachments.create',
        params: { name: 'cat.png', size: png.byteLength, mime_type: 'image/png' },
      }),
      Attachment,
    );
    expect(created).toMatchObject({
      type: 'image',
      name: 'cat.png',
      upload_descriptor: { method: 'POST', headers: {} },
    });
    expect(created.id).toMatch(/^atc_[0-9a-f]{8}$/);
    const form = new FormData();
    form.append('file', new Blob([png], { type: 'image/png' }), 'cat.png');
    const uploaded = await json(
      await fetch(created.upload_descriptor?.url ?? '', { method: 'POST', body: form }),
      Attachment,
    );
    expect(uploaded.upload_descriptor).toBeUndefined();
    const again = await fetch(created.upload_descriptor?.url ?? '', { method: 'POST', body: form });
    expect(again.status).toBe(409);

    const events = await readEvents(
      await post(secret, { type: 'threads.create', params: { input: message('Look', [created.id]) } }),
    );
    const thread = events[0];
    const user = events[1];
    expect(
      user?.type === 'thread.item.done' && user.item.type === 'user_message' && user.item.attachments,
    ).toEqual([
      {
        type: 'image',
        id: created.id,
        name: 'cat.png',
        mime_type: 'image/png',
        preview_url: created.type === 'image' ? created.preview_url : '',
        thread_id: thread?.type === 'thread.created' ? thread.thread.id : '',
      },
    ]);
    const preview = await fetch(created.type === 'image' ? created.preview_url : '');
    expect(preview.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await preview.arrayBuffer())).toEqual(png);
  });

  it('refuses an upload URL with a wrong signature', async () => {
    const secret = await newSecret();
    const created = await json(
      await post(secret, {
        type: 'attachments.create',
        params: { name: 'a.txt', size: 1, mime_type: 'text/plain' },
      }),
      Attachment,
    );
    const url = new URL(created.upload_descriptor?.url ?? '');
    url.searchParams.set('sig', 'forged');
    const form = new FormData();
    form.append('file', new Blob(['x'], { type: 'text/plain' }), 'a.txt');
    const response = await fetch(url, { method: 'POST', body: form });
    expect(response.status).toBe(403);
    expect((await json(response, ErrorEnvelope)).error.code).toBe('FORBIDDEN');
  });

  it('takes a direct upload and deletes an attachment once', async () => {
    const secret = await newSecret();
    const form = new FormData();
    form.append('file', new Blob(['hello'], { type: 'text/plain' }), 'notes.txt');
    const uploaded = await json(
      await fetch(`${baseURL}/chatkit/attachments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}` },
        body: form,
      }),
      Attachment,
    );
    expect(uploaded).toEqual({ type: 'file', id: uploaded.id, name: 'notes.txt', mime_type: 'text/plain' });
    const remove = () => post(secret, { type: 'attachments.delete', params: { attachment_id: uploaded.id } });
    expect(await (await remove()).json()).toEqual({});
    expect((await remove()).status).toBe(404);
  });

  it('answers 422 to a direct upload without a file and 415 to a JSON one', async () => {
    const secret = await newSecret();
    const form = new FormData();
    form.append('other', 'x');
    const missing = await fetch(`${baseURL}/chatkit/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}` },
      body: form,
    });
    expect(missing.status).toBe(422);
    expect((await json(missing, ErrorEnvelope)).error.details?.fields).toMatchObject([{ path: 'file' }]);
    const wrongType = await fetch(`${baseURL}/chatkit/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(wrongType.status).toBe(415);
  });

  it('refuses to send an attachment whose bytes were never uploaded', async () => {
    const secret = await newSecret();
    const created = await json(
      await post(secret, {
        type: 'attachments.create',
        params: { name: 'a.txt', size: 1, mime_type: 'text/plain' },
      }),
      Attachment,
    );
    const response = await post(secret, {
      type: 'threads.create',
      params: { input: message('Hi', [created.id]) },
    });
    expect(response.status).toBe(409);
    expect((await json(response, ErrorEnvelope)).error.code).toBe('CONFLICT');
  });

  it('refuses attachments that are too large or of an unaccepted type', async () => {
    const secret = await newSecret();
    const large = await post(secret, {
      type: 'attachments.create',
      params: { name: 'big.bin', size: 21 * 1024 * 1024, mime_type: 'image/png' },
    });
    expect(large.status).toBe(413);
    const exe = await post(secret, {
      type: 'attachments.create',
      params: { name: 'a.exe', size: 1, mime_type: 'application/x-msdownload' },
    });
    expect(exe.status).toBe(415);
  });
});

describe('cancellation', () => {
  it('saves the partial reply and a hidden note when the client aborts', async () => {
    const slow = createStore({ baseURL: 'http://slow.test', paceMs: 20 });
    server.use(...createHandlers({ store: slow }));
    try {
      const secret = slow.createSession().client_secret;
      const controller = new AbortController();
      const response = await fetch('http://slow.test/chatkit', {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'threads.create', params: { input: message('Go slowly') } }),
        signal: controller.signal,
      });
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      while ((text.match(/text_delta/g) ?? []).length < 3) {
        const { value } = await reader.read();
        text += decoder.decode(value);
      }
      controller.abort();
      await expect(reader.read()).rejects.toThrow();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const thread = slow.threadsOf(slow.sessions[0]!.userId)[0]!;
      const types = thread.items.map((item) => item.type);
      expect(types).toEqual(['user_message', 'assistant_message', 'sdk_hidden_context']);
      expect(thread.items[2]).toMatchObject({ content: CANCELLED_CONTEXT });
      expect(slow.visibleItems(thread).map((item) => item.type)).toEqual([
        'user_message',
        'assistant_message',
      ]);
      const partial = thread.items[1];
      expect(partial?.type === 'assistant_message' && partial.content[0]?.text).toMatch(/^You said:/);
    } finally {
      server.resetHandlers();
    }
  });
});
