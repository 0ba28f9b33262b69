import type { ThreadStreamEvent } from '@cartrita/contracts';
import { expect, it } from 'vitest';
import { createDemoProvider, sourcesReply } from '../providers/demo.js';
import { respond } from './respond.js';

it('streams a citation as annotation_added on the open message, and keeps it in the finished item', async () => {
  const events: ThreadStreamEvent[] = [];
  for await (const event of respond(
    createDemoProvider({ paceMs: 0 }),
    {
      threadId: 'thr_1',
      messages: [{ role: 'user', content: '/sources' }],
      signal: new AbortController().signal,
    },
    { provider: 'demo', model: 'demo-1' },
  ))
    events.push(event);
  const added = events.flatMap((event) =>
    event.type === 'thread.item.updated' &&
    event.update.type === 'assistant_message.content_part.annotation_added'
      ? [[event.update.annotation_index, event.update.annotation.source.title]]
      : [],
  );
  expect(added).toEqual([
    [0, 'Orders guide'],
    [1, 'orders.csv'],
    [2, 'Order 42'],
    [3, 'Operations team'],
  ]);
  const done = events.find((event) => event.type === 'thread.item.done');
  expect(
    done?.type === 'thread.item.done' && done.item.type === 'assistant_message' ? done.item.content : [],
  ).toEqual([
    {
      type: 'output_text',
      text: sourcesReply,
      annotations: [
        {
          type: 'annotation',
          source: { type: 'url', url: 'https://example.com/docs/orders', title: 'Orders guide' },
        },
        { type: 'annotation', source: { type: 'file', filename: 'orders.csv', title: 'orders.csv' } },
        {
          type: 'annotation',
          source: {
            type: 'entity',
            id: 'order_42',
            title: 'Order 42',
            group: 'Orders',
            interactive: true,
            data: { status: 'shipped' },
          },
        },
        {
          type: 'annotation',
          source: {
            type: 'entity',
            id: 'team_ops',
            title: 'Operations team',
            group: 'Teams',
            interactive: false,
            data: {},
          },
        },
      ],
    },
  ]);
});
