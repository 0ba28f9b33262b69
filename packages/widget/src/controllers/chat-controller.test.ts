// @vitest-environment happy-dom
import { ChatKit } from '@cartrita/sdk/chatkit';
import { Transport } from '@cartrita/sdk/core';
import { describe, expect, it, vi } from 'vitest';
import {
  type FakeCall,
  type FakeHandler,
  FakeHost,
  fakeFetch,
  json,
  liveSse,
  settle,
  sse,
} from '../../../../tests/widget/fake-chatkit.js';
import { ChatController } from './chat-controller.js';

const at = '2026-01-01T00:00:00Z';
const thread = {
  id: 'thr_1',
  created_at: at,
  status: { type: 'active' },
  metadata: {},
  items: { data: [], has_more: false },
};
const userItem = (id: string, text: string) => ({
  id,
  thread_id: 'thr_1',
  created_at: at,
  type: 'user_message',
  content: [{ type: 'input_text', text }],
  attachments: [],
  inference_options: {},
});
const answer = (id: string, text: string) => ({
  id,
  thread_id: 'thr_1',
  created_at: at,
  type: 'assistant_message',
  content: [{ type: 'output_text', text, annotations: [] }],
});
const delta = (id: string, text: string) => ({
  type: 'thread.item.updated',
  item_id: id,
  update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: text },
});
const reply = (text: string, id = 'msg_a') => [
  { type: 'stream_options', stream_options: { allow_cancel: true } },
  { type: 'thread.item.added', item: answer(id, '') },
  delta(id, text),
  { type: 'thread.item.done', item: answer(id, text) },
];
const firstTurn = (text: string) => [
  { type: 'thread.created', thread },
  { type: 'thread.item.done', item: userItem('msg_u', text) },
  ...reply(`You said ${text}`),
];

const make = (handler: FakeHandler, onClientTool?: () => unknown) => {
  const { fetch, calls } = fakeFetch(handler);
  const client = new ChatKit(new Transport({ baseURL: 'http://chat.test', fetch, maxRetries: 0 }));
  const host = new FakeHost();
  const target = new EventTarget();
  const events: Array<{ type: string; detail: unknown }> = [];
  for (const type of [
    'cartrita-response-start',
    'cartrita-response-end',
    'cartrita-thread-change',
    'cartrita-error',
    'cartrita-effect',
    'cartrita-tool-call',
    'cartrita-action',
  ]) {
    target.addEventListener(type, (event) => events.push({ type, detail: (event as CustomEvent).detail }));
  }
  const chat = new ChatController(host, {
    client: () => client,
    onClientTool: () => onClientTool as never,
    target,
  });
  host.connect();
  const idle = async () => {
    for (let i = 0; i < 100 && chat.busy; i++) await settle(5);
    await settle();
  };
  return { chat, calls, events, idle, host };
};

/**
 * Sends `text` and streams the first turn up to a reply holding `partial`, on a live stream the test
 * goes on with; `other` may answer later calls instead.
 */
const partialReply = async (
  text: string,
  partial: string,
  other?: (call: FakeCall) => Response | undefined,
) => {
  let live: ReturnType<typeof liveSse> | undefined;
  const made = make((call) => {
    const answer = other?.(call);
    if (answer) return answer;
    live = liveSse(call.signal);
    return live.response;
  });
  made.chat.send(text);
  await settle(10);
  for (const event of firstTurn(text).slice(0, 4)) live!.push(event);
  live!.push(delta('msg_a', partial));
  await settle(10);
  return { ...made, live: live! };
};

const toolCall = {
  id: 'tc_1',
  thread_id: 'thr_1',
  created_at: at,
  type: 'client_tool_call',
  status: 'pending',
  call_id: 'call_1',
  name: 'get_page_info',
  arguments: { fields: ['title'] },
};

const texts = (chat: ChatController) =>
  chat.model.items.map((item) =>
    item.type === 'assistant_message'
      ? item.content.map((p) => p.text).join('')
      : item.type === 'user_message'
        ? `> ${item.content.map((p) => p.text).join('')}`
        : item.type,
  );

describe('ChatController', () => {
  it('creates a thread with the first message and applies the streamed reply', async () => {
    const { chat, calls, events, idle } = make(() => sse(firstTurn('Hi')));
    expect(chat.send('Hi')).toBe(true);
    // Shown at once, before the server answers.
    expect(texts(chat)).toEqual(['> Hi']);
    await idle();
    expect(calls[0]?.type).toBe('threads.create');
    expect(calls[0]?.body).toMatchObject({
      params: { input: { content: [{ type: 'input_text', text: 'Hi' }] } },
    });
    expect(texts(chat)).toEqual(['> Hi', 'You said Hi']);
    expect(chat.threadId).toBe('thr_1');
    expect(events.map((e) => e.type)).toEqual([
      'cartrita-response-start',
      'cartrita-thread-change',
      'cartrita-response-end',
    ]);
    expect(events.at(-1)?.detail).toEqual({ threadId: 'thr_1', stopped: false, error: false });
  });

  it('sends once when asked twice while a reply streams', async () => {
    const { chat, calls, idle } = make(() => sse(firstTurn('Hi')));
    expect(chat.send('Hi')).toBe(true);
    expect(chat.send('Hi')).toBe(false);
    await idle();
    expect(calls).toHaveLength(1);
    expect(chat.send('Again')).toBe(true);
    await idle();
    expect(calls[1]?.type).toBe('threads.add_user_message');
    expect(calls[1]?.body).toMatchObject({ params: { thread_id: 'thr_1' } });
  });

  it('stops a reply: the request is aborted and the partial text stays, marked stopped', async () => {
    const { chat, calls, events, idle } = await partialReply('/slow', 'Partial');
    expect(chat.allowCancel).toBe(true);
    chat.stop();
    await idle();
    expect(calls[0]?.signal?.aborted).toBe(true);
    expect(texts(chat)).toEqual(['> /slow', 'Partial']);
    expect(chat.model.ended.get('msg_a')).toBe('stopped');
    expect(chat.error).toBeUndefined();
    expect(events.at(-1)).toEqual({
      type: 'cartrita-response-end',
      detail: { threadId: 'thr_1', stopped: true, error: false },
    });
  });

  it('shows an error event and retries with threads.retry_after_item', async () => {
    const { chat, calls, idle } = make((call) =>
      call.type === 'threads.create'
        ? sse([
            ...firstTurn('/error').slice(0, 4),
            delta('msg_a', 'Starting'),
            { type: 'error', code: 'custom', message: 'Failed on purpose.', allow_retry: true },
          ])
        : sse(reply('Second try', 'msg_b')),
    );
    chat.send('/error');
    await idle();
    expect(chat.error?.message).toBe('Failed on purpose.');
    // The partial reply stays, marked incomplete rather than done.
    expect(texts(chat)).toEqual(['> /error', 'Starting']);
    expect(chat.model.ended.get('msg_a')).toBe('incomplete');
    expect(chat.error?.retry).toBeTypeOf('function');
    chat.error?.retry?.();
    // The client drops the items after the user message itself.
    expect(texts(chat)).toEqual(['> /error']);
    await idle();
    expect(calls[1]?.type).toBe('threads.retry_after_item');
    expect(calls[1]?.body).toMatchObject({ params: { thread_id: 'thr_1', item_id: 'msg_u' } });
    expect(texts(chat)).toEqual(['> /error', 'Second try']);
  });

  it('keeps a reply cut off by a lost connection, marked incomplete, and answers it again on retry', async () => {
    const { chat, calls, events, idle, live } = await partialReply('Hi', 'Half an', (call) =>
      call.type === 'threads.retry_after_item' ? sse(reply('Whole answer', 'msg_b')) : undefined,
    );
    live.fail();
    await idle();
    expect(texts(chat)).toEqual(['> Hi', 'Half an']);
    expect(chat.model.ended.get('msg_a')).toBe('incomplete');
    expect(chat.error?.retry).toBeTypeOf('function');
    expect(events.at(-1)).toEqual({
      type: 'cartrita-response-end',
      detail: { threadId: 'thr_1', stopped: false, error: true },
    });
    // The server has the message: it is answered again, not sent twice.
    chat.error?.retry?.();
    await idle();
    expect(calls.map((c) => c.type)).toEqual(['threads.create', 'threads.retry_after_item']);
    expect(texts(chat)).toEqual(['> Hi', 'Whole answer']);
    expect(chat.model.ended.size).toBe(0);
  });

  it('offers to send again when the request never reached the server', async () => {
    let fail = true;
    const { chat, calls, idle } = make(() =>
      fail ? json({ error: { message: 'Bad input' } }, 400) : sse(firstTurn('Hi')),
    );
    chat.send('Hi');
    await idle();
    expect(chat.error?.message).toBe('Bad input');
    expect(texts(chat)).toEqual(['> Hi']);
    fail = false;
    chat.error?.retry?.();
    await idle();
    expect(calls.map((c) => c.type)).toEqual(['threads.create', 'threads.create']);
    expect(texts(chat)).toEqual(['> Hi', 'You said Hi']);
  });

  it('runs a client tool with the page hook and sends its result', async () => {
    const tool = {
      id: 'tc_1',
      thread_id: 'thr_1',
      created_at: at,
      type: 'client_tool_call',
      status: 'pending',
      call_id: 'call_1',
      name: 'get_page_info',
      arguments: { fields: ['title'] },
    };
    const hook = vi.fn(async () => ({ title: 'Demo' }));
    const { chat, calls, events, idle } = make(
      (call) =>
        call.type === 'threads.create'
          ? sse([...firstTurn('/tool').slice(0, 3), { type: 'thread.item.done', item: tool }])
          : sse(reply('The page answered')),
      hook,
    );
    chat.send('/tool');
    await idle();
    await idle();
    expect(hook).toHaveBeenCalledWith({ name: 'get_page_info', params: { fields: ['title'] } });
    expect(events.some((e) => e.type === 'cartrita-tool-call')).toBe(true);
    expect(calls[1]?.type).toBe('threads.add_client_tool_output');
    expect(calls[1]?.body).toMatchObject({ params: { thread_id: 'thr_1', result: { title: 'Demo' } } });
    expect(texts(chat)).toEqual(['> /tool', 'client_tool_call', 'The page answered']);
  });

  it('keeps the thread locked while the client tool runs, until its output is delivered', async () => {
    let finish: (value: unknown) => void = () => {};
    const hook = vi.fn(() => new Promise((resolve) => (finish = resolve)));
    const { chat, calls } = make(
      (call) =>
        call.type === 'threads.create'
          ? sse([...firstTurn('/tool').slice(0, 3), { type: 'thread.item.done', item: toolCall }])
          : sse(reply('The page answered', 'msg_b')),
      hook,
    );
    chat.send('/tool');
    for (let i = 0; i < 100 && hook.mock.calls.length === 0; i++) await settle(5);
    expect(hook.mock.calls.length).toBe(1);
    expect(chat.locked).toBe(true);
    expect(chat.send('sent while the tool runs')).toBe(false);
    expect(chat.retry()).toBe(false);
    expect(chat.action('w_1', { type: 'save' })).toBe(false);
    finish({ title: 'Demo' });
    for (let i = 0; i < 100 && chat.locked; i++) await settle(5);
    expect(calls.map((c) => c.type)).toEqual(['threads.create', 'threads.add_client_tool_output']);
    expect(calls[1]?.body).toMatchObject({ params: { thread_id: 'thr_1', result: { title: 'Demo' } } });
    expect(chat.locked).toBe(false);
    expect(chat.send('after')).toBe(true);
  });

  it("reports a failing tool to the server as the tool's error", async () => {
    const { chat, calls, idle } = make(
      (call) =>
        call.type === 'threads.create'
          ? sse([...firstTurn('/tool').slice(0, 3), { type: 'thread.item.done', item: toolCall }])
          : sse(reply('The page answered', 'msg_b')),
      async () => {
        throw new Error('No page info here');
      },
    );
    chat.send('/tool');
    await idle();
    await idle();
    expect(calls.map((c) => c.type)).toEqual(['threads.create', 'threads.add_client_tool_output']);
    expect(calls[1]?.body).toMatchObject({ params: { result: { error: 'No page info here' } } });
  });

  it('keeps an output the server did not receive, locked, and delivers it on retry', async () => {
    let refuse = true;
    const { chat, calls, idle, events } = make(
      (call) =>
        call.type === 'threads.create'
          ? sse([...firstTurn('/tool').slice(0, 3), { type: 'thread.item.done', item: toolCall }])
          : refuse
            ? json({ error: { message: 'Down' } }, 503)
            : sse(reply('The page answered', 'msg_b')),
      async () => ({ title: 'Demo' }),
    );
    chat.send('/tool');
    await idle();
    await idle();
    expect(calls.map((c) => c.type)).toEqual(['threads.create', 'threads.add_client_tool_output']);
    expect(events.filter((e) => e.type === 'cartrita-error').length).toBe(1);
    expect(chat.busy).toBe(false);
    expect(chat.locked).toBe(true);
    expect(chat.send('sent before the output')).toBe(false);
    refuse = false;
    chat.error?.retry?.();
    await idle();
    expect(calls.map((c) => c.type)).toEqual([
      'threads.create',
      'threads.add_client_tool_output',
      'threads.add_client_tool_output',
    ]);
    expect(calls[2]?.body).toMatchObject({ params: { thread_id: 'thr_1', result: { title: 'Demo' } } });
    expect(chat.locked).toBe(false);
    expect(texts(chat)).toEqual(['> /tool', 'client_tool_call', 'The page answered']);
  });

  it('keeps progress transient, collects notices and forwards client effects', async () => {
    const { chat, events, idle } = make(() =>
      sse([
        ...firstTurn('x').slice(0, 3),
        { type: 'progress_update', text: 'Searching...' },
        { type: 'notice', level: 'warning', message: 'Heads **up**', title: 'Note' },
        { type: 'client_effect', name: 'confetti', data: { n: 1 } },
        ...reply('Done').slice(1),
      ]),
    );
    chat.send('x');
    await idle();
    expect(chat.progress).toBeUndefined();
    expect(chat.notices).toEqual([{ level: 'warning', message: 'Heads **up**', title: 'Note' }]);
    expect(events.find((e) => e.type === 'cartrita-effect')?.detail).toEqual({
      name: 'confetti',
      data: { n: 1 },
    });
  });

  it('answers forms, runs widget actions on the server and hands client actions to the page', async () => {
    const { chat, calls, events, idle } = make(() => sse(firstTurn('x')));
    chat.send('x');
    await idle();
    chat.answer('si_1', { size: { values: ['small'] } });
    await idle();
    chat.action('w_1', { type: 'demo.pick', payload: { colour: 'red' }, handler: 'server' });
    await idle();
    chat.action('w_1', { type: 'open', handler: 'client' });
    expect(calls.map((c) => c.type)).toEqual([
      'threads.create',
      'threads.add_structured_input',
      'threads.custom_action',
    ]);
    expect(calls[1]?.body).toMatchObject({
      params: { item_id: 'si_1', input: { status: 'answered', answers: { size: { values: ['small'] } } } },
    });
    expect(events.find((e) => e.type === 'cartrita-action')?.detail).toEqual({
      action: { type: 'open', handler: 'client' },
      itemId: 'w_1',
    });
  });

  it('records feedback and rolls it back when the request fails', async () => {
    let ok = true;
    const { chat, calls, idle } = make((call) =>
      call.type === 'items.feedback' ? (ok ? json({}) : json({}, 400)) : sse(firstTurn('x')),
    );
    chat.send('x');
    await idle();
    await chat.rate('msg_a', 'positive');
    expect(chat.feedback.get('msg_a')).toBe('positive');
    expect(calls[1]?.body).toMatchObject({ params: { item_ids: ['msg_a'], kind: 'positive' } });
    ok = false;
    await chat.rate('msg_a', 'negative');
    expect(chat.feedback.get('msg_a')).toBe('positive');
  });

  it('loads every page of a thread and starts a new conversation', async () => {
    const { chat, calls, events } = make((call) =>
      call.type === 'threads.get_by_id'
        ? json({
            ...thread,
            title: 'Old',
            items: { data: [userItem('u1', 'one')], has_more: true, after: 'u1' },
          })
        : json({ data: [answer('a1', 'two')], has_more: false }),
    );
    await chat.open('thr_1');
    expect(calls.map((c) => c.type)).toEqual(['threads.get_by_id', 'items.list']);
    expect(calls[1]?.body).toMatchObject({ params: { thread_id: 'thr_1', order: 'asc', after: 'u1' } });
    expect(texts(chat)).toEqual(['> one', 'two']);
    expect(chat.model.thread?.title).toBe('Old');
    await chat.open(null);
    expect(chat.model.items).toEqual([]);
    expect(events.map((e) => e.detail)).toEqual([{ threadId: 'thr_1' }, { threadId: null }]);
  });
});
