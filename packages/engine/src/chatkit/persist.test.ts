import type { ThreadStreamEvent } from '@cartrita/contracts';
import { describe, expect, it } from 'vitest';
import { createMemoryChatKitRepositories } from './memory.js';
import { cancelledNote, persistEvents } from './persist.js';

const threadId = 'thr_persist';
const at = '2026-01-01T00:00:00.000Z';

const storeWithThread = async () => {
  const store = createMemoryChatKitRepositories();
  await store.threads.create({ id: threadId, user_id: 'usr_persist' });
  return store;
};

/** An assistant message streamed token by token, with an annotation halfway. */
async function* streamed(tokens: readonly string[]): AsyncGenerator<ThreadStreamEvent> {
  yield {
    type: 'thread.item.added',
    item: { id: 'msg_1', thread_id: threadId, created_at: at, type: 'assistant_message', content: [] },
  };
  yield {
    type: 'thread.item.updated',
    item_id: 'msg_1',
    update: {
      type: 'assistant_message.content_part.added',
      content_index: 0,
      content: { type: 'output_text', text: '', annotations: [] },
    },
  };
  for (const [i, delta] of tokens.entries()) {
    yield {
      type: 'thread.item.updated',
      item_id: 'msg_1',
      update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta },
    };
    if (i === 2) {
      yield {
        type: 'thread.item.updated',
        item_id: 'msg_1',
        update: {
          type: 'assistant_message.content_part.annotation_added',
          content_index: 0,
          annotation_index: 0,
          annotation: {
            type: 'annotation',
            source: { type: 'url', url: 'https://example.com', title: 'Example' },
          },
        },
      };
    }
  }
}

describe('persisting a stream of events', () => {
  it('saves what a cancelled message said so far, every token of it, and the note that it was cut short', async () => {
    const store = await storeWithThread();
    const tokens = Array.from({ length: 300 }, (_, i) => ` t${i}`);
    const controller = new AbortController();
    let seen = 0;
    for await (const _event of persistEvents(store, threadId, streamed(tokens), controller.signal)) {
      seen += 1;
      if (seen === 2 + 250 + 1) controller.abort();
    }
    const saved = await store.items.list(threadId, { order: 'asc', includeHidden: true });
    expect(saved.data.map((item) => item.type)).toEqual(['assistant_message', 'sdk_hidden_context']);
    expect(saved.data[0]!.content).toEqual([
      {
        type: 'output_text',
        text: tokens.slice(0, 250).join(''),
        annotations: [
          { type: 'annotation', source: { type: 'url', url: 'https://example.com', title: 'Example' } },
        ],
      },
    ]);
    expect(saved.data[1]!.content).toBe(cancelledNote);
  });

  it('passes every event on and saves nothing of a message still open when the stream ends', async () => {
    const store = await storeWithThread();
    const events: ThreadStreamEvent[] = [];
    for await (const event of streamed([' a', ' b'])) events.push(event);
    const passed: ThreadStreamEvent[] = [];
    for await (const event of persistEvents(
      store,
      threadId,
      streamed([' a', ' b']),
      new AbortController().signal,
    )) {
      passed.push(event);
    }
    expect(passed).toEqual(events);
    expect((await store.items.list(threadId, { includeHidden: true })).data).toEqual([]);
  });
});
