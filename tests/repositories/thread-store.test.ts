import { describe, expect, it } from 'vitest';
import { implementations } from './implementations.js';

describe.each(implementations)('thread store on $name', (implementation) => {
  it('creates a thread with an active status, empty metadata and millisecond UTC times', async () => {
    const { store } = await implementation.open();
    const thread = await store.threads.create({ user_id: 'usr_a' });
    expect(thread).toMatchObject({ user_id: 'usr_a', title: null, status: { type: 'active' }, metadata: {} });
    expect(thread.id).toMatch(/^thr_[0-9a-f]{16}$/);
    expect(thread.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(thread.updated_at).toBe(thread.created_at);
    expect(await store.threads.get(thread.id, 'usr_a')).toEqual(thread);
  });

  it('keeps a given id, title, status, metadata and creation time', async () => {
    const { store } = await implementation.open();
    const thread = await store.threads.create({
      id: 'thr_given',
      user_id: 'usr_a',
      title: 'Café ☕',
      status: { type: 'locked', reason: 'quota' },
      metadata: { nested: { list: [1, 'two', null] } },
      created_at: '2026-11-21T22:30:04.957252',
    });
    expect(thread).toEqual({
      id: 'thr_given',
      user_id: 'usr_a',
      title: 'Café ☕',
      status: { type: 'locked', reason: 'quota' },
      metadata: { nested: { list: [1, 'two', null] } },
      created_at: '2026-11-21T22:30:04.957Z',
      updated_at: '2026-11-21T22:30:04.957Z',
    });
  });

  it('hides a thread from every user but its owner', async () => {
    const { store } = await implementation.open();
    const thread = await store.threads.create({ user_id: 'usr_a' });
    expect(await store.threads.get(thread.id, 'usr_b')).toBeUndefined();
    expect(await store.threads.get('thr_missing', 'usr_a')).toBeUndefined();
    expect(await store.threads.update(thread.id, 'usr_b', { title: 'stolen' })).toBeUndefined();
    expect(await store.threads.delete(thread.id, 'usr_b')).toBeUndefined();
    expect((await store.threads.get(thread.id, 'usr_a'))?.title).toBeNull();
  });

  it('lists threads newest first and pages with the id of the last row, even with equal creation times', async () => {
    const { store } = await implementation.open();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await store.threads.create({ user_id: 'usr_a', created_at: '2026-01-01T00:00:00.000Z' })).id);
    }
    const first = await store.threads.list('usr_a', { limit: 2 });
    expect(first.data.map((thread) => thread.id)).toEqual([ids[4], ids[3]]);
    expect(first).toMatchObject({ has_more: true, after: ids[3] });
    const second = await store.threads.list('usr_a', { limit: 2, after: first.after });
    expect(second.data.map((thread) => thread.id)).toEqual([ids[2], ids[1]]);
    expect(second.has_more).toBe(true);
    const third = await store.threads.list('usr_a', { limit: 2, after: second.after });
    expect(third.data.map((thread) => thread.id)).toEqual([ids[0]]);
    expect(third).toMatchObject({ has_more: false, after: ids[0] });
  });

  it('lists threads oldest first with order asc', async () => {
    const { store } = await implementation.open();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await store.threads.create({ user_id: 'usr_a' })).id);
    const page = await store.threads.list('usr_a', { order: 'asc' });
    expect(page.data.map((thread) => thread.id)).toEqual(ids);
    expect(page).toMatchObject({ has_more: false, after: ids[2] });
    const rest = await store.threads.list('usr_a', { order: 'asc', after: ids[0] });
    expect(rest.data.map((thread) => thread.id)).toEqual(ids.slice(1));
  });

  it('lists only the calling user’s threads, and nothing after a cursor it does not own', async () => {
    const { store } = await implementation.open();
    const mine = await store.threads.create({ user_id: 'usr_a' });
    const theirs = await store.threads.create({ user_id: 'usr_b' });
    expect((await store.threads.list('usr_a')).data.map((thread) => thread.id)).toEqual([mine.id]);
    expect(await store.threads.list('usr_a', { after: theirs.id })).toEqual({ data: [], has_more: false });
    expect(await store.threads.list('usr_c')).toEqual({ data: [], has_more: false });
  });

  it('rejects a page size that is not a positive integer', async () => {
    const { store } = await implementation.open();
    await expect(store.threads.list('usr_a', { limit: 0 })).rejects.toThrow(RangeError);
    await expect(store.threads.list('usr_a', { limit: 1.5 })).rejects.toThrow(RangeError);
  });

  it('updates only the given fields and moves updated_at', async () => {
    const { store } = await implementation.open();
    const thread = await store.threads.create({
      user_id: 'usr_a',
      title: 'Old',
      metadata: { keep: true },
      created_at: '2026-01-01T00:00:00.000Z',
    });
    const renamed = await store.threads.update(thread.id, 'usr_a', { title: 'New' });
    expect(renamed).toMatchObject({ title: 'New', status: { type: 'active' }, metadata: { keep: true } });
    expect(renamed!.updated_at > thread.updated_at).toBe(true);
    const closed = await store.threads.update(thread.id, 'usr_a', {
      status: { type: 'closed', reason: 'done' },
      metadata: {},
    });
    expect(closed).toMatchObject({ title: 'New', status: { type: 'closed', reason: 'done' }, metadata: {} });
    expect((await store.threads.update(thread.id, 'usr_a', { title: null }))?.title).toBeNull();
  });

  it('touches updated_at without changing anything else', async () => {
    const { store } = await implementation.open();
    const thread = await store.threads.create({ user_id: 'usr_a', created_at: '2026-01-01T00:00:00.000Z' });
    expect(await store.threads.touch(thread.id, '2026-02-01T00:00:00Z')).toBe(true);
    expect(await store.threads.get(thread.id, 'usr_a')).toEqual({
      ...thread,
      updated_at: '2026-02-01T00:00:00.000Z',
    });
    expect(await store.threads.touch('thr_missing')).toBe(false);
  });

  it('deletes a thread with its items, feedback and attachment rows and returns the blob keys', async () => {
    const { store } = await implementation.open();
    const thread = await store.threads.create({ user_id: 'usr_a' });
    const other = await store.threads.create({ user_id: 'usr_a' });
    await store.items.save(thread.id, { id: 'msg_1', type: 'assistant_message', content: [] });
    await store.items.save(other.id, { id: 'msg_2', type: 'assistant_message', content: [] });
    await store.feedback.record(thread.id, ['msg_1'], 'positive', 'usr_a');
    const uploaded = await store.attachments.create({
      user_id: 'usr_a',
      name: 'a.png',
      mime_type: 'image/png',
    });
    await store.attachments.markUploaded(uploaded.id, 'blob/a', 3);
    const pending = await store.attachments.create({
      user_id: 'usr_a',
      name: 'b.txt',
      mime_type: 'text/plain',
    });
    await store.attachments.attachToThread([uploaded.id, pending.id], thread.id, 'usr_a');

    expect(await store.threads.delete(thread.id, 'usr_a')).toEqual({ id: thread.id, blobKeys: ['blob/a'] });
    expect(await store.threads.get(thread.id, 'usr_a')).toBeUndefined();
    expect(await store.items.get(thread.id, 'msg_1')).toBeUndefined();
    expect(await store.feedback.list(thread.id, 'msg_1')).toEqual([]);
    expect(await store.attachments.get(uploaded.id, 'usr_a')).toBeUndefined();
    expect(await store.attachments.get(pending.id, 'usr_a')).toBeUndefined();
    expect((await store.items.list(other.id)).data.map((item) => item.id)).toEqual(['msg_2']);
    expect(await store.threads.delete(thread.id, 'usr_a')).toBeUndefined();
  });
});
