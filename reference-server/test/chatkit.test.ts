import { describe, expect, it } from 'vitest';
import {
  assistantText,
  chatkit,
  createSecret,
  input,
  readEvents,
  startThread,
  useServer,
} from './helpers.js';

describe('POST /chatkit', () => {
  it('streams threads.create in the order of the official server', async () => {
    const { url } = await useServer();
    const secret = await createSecret(url);
    const res = await chatkit(url, secret, {
      type: 'threads.create',
      params: { input: input('Hello there') },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = await readEvents(res);
    const kinds = events.map((e) =>
      e.type === 'thread.item.updated'
        ? e.update.type
        : e.type.startsWith('thread.item')
          ? `${e.type}:${'item' in e ? e.item.type : ''}`
          : e.type,
    );
    const deltas = kinds.filter((k) => k === 'assistant_message.content_part.text_delta').length;
    expect(deltas).toBeGreaterThan(5);
    expect(kinds.filter((k) => k !== 'assistant_message.content_part.text_delta')).toEqual([
      'thread.created',
      'thread.item.done:user_message',
      'stream_options',
      'thread.item.added:assistant_message',
      'assistant_message.content_part.added',
      'assistant_message.content_part.done',
      'thread.item.done:assistant_message',
      'thread.updated',
    ]);
    const updated = events.at(-1);
    expect(updated?.type === 'thread.updated' && updated.thread.title).toBe('Hello there');
  });

  it('persists both messages and lists them in order', async () => {
    const { url } = await useServer();
    const secret = await createSecret(url);
    const { threadId, events } = await startThread(url, secret, 'Remember me');
    const res = await chatkit(url, secret, { type: 'threads.get_by_id', params: { thread_id: threadId } });
    expect(res.status).toBe(200);
    const thread = await res.json();
    expect(thread.title).toBe('Remember me');
    expect(thread.items.data.map((i: { type: string }) => i.type)).toEqual([
      'user_message',
      'assistant_message',
    ]);
    expect(thread.items.data[1].content[0].text).toBe(assistantText(events));
  });

  it("answers another user's thread with 404", async () => {
    const { url } = await useServer();
    const { threadId } = await startThread(url, await createSecret(url), 'Mine');
    const res = await chatkit(url, await createSecret(url), {
      type: 'threads.get_by_id',
      params: { thread_id: threadId },
    });
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('THREAD_NOT_FOUND');
  });

  it('saves the partial reply and a hidden note when the client aborts', async () => {
    const { url } = await useServer({ env: { DEMO_PACE_MS: '5' } });
    const secret = await createSecret(url);
    const controller = new AbortController();
    const res = await chatkit(
      url,
      secret,
      { type: 'threads.create', params: { input: input('/slow') } },
      { signal: controller.signal },
    );
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('text_delta')) text += new TextDecoder().decode((await reader.read()).value);
    const threadId = /"thread":\{"id":"(thr_\w+)"/.exec(text)![1]!;
    controller.abort();
    let items: { type: string; content?: { text: string }[] }[] = [];
    for (let i = 0; i < 50; i++) {
      const list = await chatkit(url, secret, {
        type: 'items.list',
        params: { thread_id: threadId, order: 'asc' },
      });
      items = (await list.json()).data;
      if (items.length === 2) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(items.map((i) => i.type)).toEqual(['user_message', 'assistant_message']);
    expect(items[1]!.content![0]!.text.length).toBeGreaterThan(0);
  });
});
