import type { StoredItem } from '@cartrita/engine';
import { describe, expect, it } from 'vitest';
import { implementations } from './implementations.js';

const message = (id: string, text = id, created_at = '2026-01-01T00:00:00.000Z'): StoredItem => ({
  id,
  thread_id: 'thr_x',
  created_at,
  type: 'assistant_message',
  content: [{ type: 'output_text', text, annotations: [] }],
});

const hidden = (id: string): StoredItem => ({
  id,
  thread_id: 'thr_x',
  created_at: '2026-01-01T00:00:00.000Z',
  type: 'sdk_hidden_context',
  content: 'The user cancelled the stream.',
});

const ids = (items: StoredItem[]) => items.map((item) => item.id);

describe.each(implementations)('item store on $name', (implementation) => {
  it('stores an item exactly as given and reads it back', async () => {
    const { store } = await implementation.open();
    const thread = await store.threads.create({ id: 'thr_x', user_id: 'usr_a' });
    const item: StoredItem = {
      id: 'msg_1',
      thread_id: thread.id,
      created_at: '2026-11-21T22:30:04.957252',
      type: 'user_message',
      content: [{ type: 'input_text', text: 'Grüße 👋 "quoted" \\ back\nslash' }],
      attachments: [],
      inference_options: { model: null },
    };
    await store.items.save(thread.id, item);
    expect(await store.items.get(thread.id, 'msg_1')).toEqual(item);
    expect(await store.items.get(thread.id, 'msg_missing')).toBeUndefined();
  });

  it('finds the thread that holds an item, hidden or not', async () => {
    const { store } = await implementation.open();
    await store.threads.create({ id: 'thr_x', user_id: 'usr_a' });
    await store.threads.create({ id: 'thr_y', user_id: 'usr_b' });
    await store.items.save('thr_x', message('msg_1'));
    await store.items.save('thr_y', { ...hidden('shcx_1'), thread_id: 'thr_y' });
    expect([
      await store.items.threadOf('msg_1'),
      await store.items.threadOf('shcx_1'),
      await store.items.threadOf('msg_missing'),
    ]).toEqual(['thr_x', 'thr_y', undefined]);
    await store.threads.delete('thr_x', 'usr_a');
    expect(await store.items.threadOf('msg_1')).toBeUndefined();
  });

  it('lists items newest first by default and oldest first with order asc', async () => {
    const { store } = await implementation.open();
    await store.threads.create({ id: 'thr_x', user_id: 'usr_a' });
    for (const id of ['msg_1', 'msg_2', 'msg_3']) await store.items.save('thr_x', message(id));
    expect(ids((await store.items.list('thr_x')).data)).toEqual(['msg_3', 'msg_2', 'msg_1']);
    expect(await store.items.list('thr_x', { order: 'asc' })).toMatchObject({
      has_more: false,
      after: 'msg_3',
    });
    expect(ids((await store.items.list('thr_x', { order: 'asc' })).data)).toEqual([
      'msg_1',
      'msg_2',
      'msg_3',
    ]);
  });

  it('pages through items with equal creation times without skipping or repeating one', async () => {
    const { store } = await implementation.open();
    await store.threads.create({ id: 'thr_x', user_id: 'usr_a' });
    const saved = Array.from({ length: 7 }, (_, i) => `msg_${i}`);
    for (const id of saved) await store.items.save('thr_x', message(id));
    for (const order of ['asc', 'desc'] as const) {
      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await store.items.list('thr_x', { limit: 3, order, ...(after ? { after } : {}) });
        seen.push(...ids(page.data));
        if (!page.has_more) break;
        after = page.after;
      }
      expect(seen).toEqual(order === 'asc' ? saved : [...saved].reverse());
    }
  });

  it('replaces an item with the same id in place, keeping its position', async () => {
    const { store } = await implementation.open();
    await store.threads.create({ id: 'thr_x', user_id: 'usr_a' });
    for (const id of ['msg_1', 'msg_2', 'msg_3']) await store.items.save('thr_x', message(id));
    await store.items.save('thr_x', message('msg_2', 'edited', '2026-06-01T00:00:00.000Z'));
    const page = await store.items.list('thr_x', { order: 'asc' });
    expect(ids(page.data)).toEqual(['msg_1', 'msg_2', 'msg_3']);
    expect(page.data[1]).toEqual(message('msg_2', 'edited', '2026-06-01T00:00:00.000Z'));
  });

  it('stores hidden context items but leaves them out of lists unless asked', async () => {
    const { store } = await implementation.open();
    await store.threads.create({ id: 'thr_x', user_id: 'usr_a' });
    await store.items.save('thr_x', message('msg_1'));
    await store.items.save('thr_x', hidden('shcx_1'));
    await store.items.save('thr_x', { ...hidden('hcx_2'), type: 'hidden_context_item', content: { a: 1 } });
    await store.items.save('thr_x', message('msg_2'));
    expect(ids((await store.items.list('thr_x', { order: 'asc' })).data)).toEqual(['msg_1', 'msg_2']);
    expect(ids((await store.items.list('thr_x', { order: 'asc', limit: 1 })).data)).toEqual(['msg_1']);
    expect((await store.items.list('thr_x', { order: 'asc', limit: 1 })).has_more).toBe(true);
    expect(ids((await store.items.list('thr_x', { order: 'asc', includeHidden: true })).data)).toEqual([
      'msg_1',
      'shcx_1',
      'hcx_2',
      'msg_2',
    ]);
    expect(await store.items.get('thr_x', 'shcx_1')).toEqual(hidden('shcx_1'));
  });

  it('returns the newest visible item, or the newest of all when asked', async () => {
    const { store } = await implementation.open();
    await store.threads.create({ id: 'thr_x', user_id: 'usr_a' });
    expect(await store.items.latest('thr_x')).toBeUndefined();
    await store.items.save('thr_x', message('msg_1'));
    await store.items.save('thr_x', hidden('shcx_1'));
    expect((await store.items.latest('thr_x'))?.id).toBe('msg_1');
    expect((await store.items.latest('thr_x', { includeHidden: true }))?.id).toBe('shcx_1');
  });

  it('deletes every item after a given one, hidden ones included', async () => {
    const { store } = await implementation.open();
    await store.threads.create({ id: 'thr_x', user_id: 'usr_a' });
    for (const id of ['msg_1', 'msg_2']) await store.items.save('thr_x', message(id));
    await store.items.save('thr_x', hidden('shcx_1'));
    await store.items.save('thr_x', message('msg_3'));
    expect(await store.items.deleteAfter('thr_x', 'msg_1')).toBe(3);
    expect(ids((await store.items.list('thr_x', { includeHidden: true })).data)).toEqual(['msg_1']);
    expect(await store.items.deleteAfter('thr_x', 'msg_missing')).toBe(0);
    expect(await store.items.deleteAfter('thr_x', 'msg_1')).toBe(0);
  });

  it('deletes one item', async () => {
    const { store } = await implementation.open();
    await store.threads.create({ id: 'thr_x', user_id: 'usr_a' });
    for (const id of ['msg_1', 'msg_2']) await store.items.save('thr_x', message(id));
    expect(await store.items.delete('thr_x', 'msg_1')).toBe(true);
    expect(await store.items.delete('thr_x', 'msg_1')).toBe(false);
    expect(ids((await store.items.list('thr_x')).data)).toEqual(['msg_2']);
  });

  it('keeps threads apart: same item ids, lists, cursors and deletions', async () => {
    const { store } = await implementation.open();
    await store.threads.create({ id: 'thr_x', user_id: 'usr_a' });
    await store.threads.create({ id: 'thr_y', user_id: 'usr_a' });
    await store.items.save('thr_x', message('msg_1', 'in x'));
    await store.items.save('thr_y', message('msg_1', 'in y'));
    await store.items.save('thr_y', message('msg_2', 'in y'));
    expect(ids((await store.items.list('thr_x')).data)).toEqual(['msg_1']);
    expect(await store.items.list('thr_x', { after: 'msg_2' })).toEqual({ data: [], has_more: false });
    expect(await store.items.deleteAfter('thr_x', 'msg_1')).toBe(0);
    expect(await store.items.get('thr_y', 'msg_1')).toEqual(message('msg_1', 'in y'));
    expect(await store.items.latest('thr_x')).toEqual(message('msg_1', 'in x'));
  });

  it('refuses to save an item into a thread that does not exist', async () => {
    const { store } = await implementation.open();
    await expect(store.items.save('thr_missing', message('msg_1'))).rejects.toThrow();
  });
});
