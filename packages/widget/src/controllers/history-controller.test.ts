// @vitest-environment happy-dom
import { ChatKit } from '@cartrita/sdk/chatkit';
import { Transport } from '@cartrita/sdk/core';
import { describe, expect, it } from 'vitest';
import { FakeHost, fakeFetch, json } from '../../../../tests/widget/fake-chatkit.js';
import { HistoryController } from './history-controller.js';

const thread = (id: string, title?: string) => ({
  id,
  title,
  created_at: '2026-01-01T00:00:00Z',
  status: { type: 'active' },
  metadata: {},
  items: { data: [], has_more: false },
});

const make = (handler: Parameters<typeof fakeFetch>[0]) => {
  const { fetch, calls } = fakeFetch(handler);
  const client = new ChatKit(new Transport({ baseURL: 'http://chat.test', fetch, maxRetries: 0 }));
  const host = new FakeHost();
  const history = new HistoryController(host, () => client);
  host.connect();
  return { history, calls };
};

describe('HistoryController', () => {
  it('lists threads a page at a time with the after cursor', async () => {
    const { history, calls } = make((call) =>
      (call.body as { params: { after?: string } }).params.after
        ? json({ data: [thread('t3')], has_more: false })
        : json({ data: [thread('t1', 'One'), thread('t2')], has_more: true, after: 't2' }),
    );
    await history.load();
    expect(history.threads.map((t) => t.id)).toEqual(['t1', 't2']);
    expect(history.hasMore).toBe(true);
    await history.load(true);
    expect(calls[1]?.body).toMatchObject({
      type: 'threads.list',
      params: { after: 't2', order: 'desc', limit: 20 },
    });
    expect(history.threads.map((t) => t.id)).toEqual(['t1', 't2', 't3']);
    expect(history.hasMore).toBe(false);
  });

  it('renames and deletes threads', async () => {
    const { history, calls } = make((call) =>
      call.type === 'threads.list'
        ? json({ data: [thread('t1', 'One'), thread('t2', 'Two')], has_more: false })
        : call.type === 'threads.update'
          ? json(thread('t1', 'Renamed'))
          : json({}),
    );
    await history.load();
    expect(await history.rename('t1', 'Renamed')).toBe(true);
    expect(history.threads[0]?.title).toBe('Renamed');
    expect(await history.remove('t2')).toBe(true);
    expect(history.threads.map((t) => t.id)).toEqual(['t1']);
    expect(calls.map((c) => c.type)).toEqual(['threads.list', 'threads.update', 'threads.delete']);
  });

  it('reports a failed change and keeps the list', async () => {
    const { history } = make((call) =>
      call.type === 'threads.list' ? json({ data: [thread('t1')], has_more: false }) : json({}, 404),
    );
    await history.load();
    expect(await history.remove('t1')).toBe(false);
    expect(history.failed).toBe(true);
    expect(history.threads).toHaveLength(1);
  });
});
