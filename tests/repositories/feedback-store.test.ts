import { describe, expect, it } from 'vitest';
import { implementations } from './implementations.js';

describe.each(implementations)('feedback store on $name', (implementation) => {
  it('records one vote per item and user, a second vote replacing the first', async () => {
    const { store } = await implementation.open();
    await store.threads.create({ id: 'thr_x', user_id: 'usr_a' });
    await store.items.save('thr_x', { id: 'msg_1', type: 'assistant_message', content: [] });
    await store.items.save('thr_x', { id: 'msg_2', type: 'assistant_message', content: [] });
    expect(await store.feedback.record('thr_x', ['msg_1', 'msg_2'], 'positive', 'usr_a')).toBe(2);
    expect(await store.feedback.record('thr_x', ['msg_1'], 'negative', 'usr_a')).toBe(1);
    expect(await store.feedback.list('thr_x', 'msg_1')).toEqual([
      expect.objectContaining({ thread_id: 'thr_x', item_id: 'msg_1', user_id: 'usr_a', kind: 'negative' }),
    ]);
    expect(await store.feedback.list('thr_x', 'msg_2')).toEqual([
      expect.objectContaining({ user_id: 'usr_a', kind: 'positive' }),
    ]);
  });

  it('keeps the votes of different users apart', async () => {
    const { store } = await implementation.open();
    await store.threads.create({ id: 'thr_x', user_id: 'usr_a' });
    await store.items.save('thr_x', { id: 'msg_1', type: 'assistant_message', content: [] });
    await store.feedback.record('thr_x', ['msg_1'], 'positive', 'usr_a');
    await store.feedback.record('thr_x', ['msg_1'], 'negative', 'usr_b');
    const votes = await store.feedback.list('thr_x', 'msg_1');
    expect(votes.map((vote) => [vote.user_id, vote.kind]).sort()).toEqual([
      ['usr_a', 'positive'],
      ['usr_b', 'negative'],
    ]);
  });

  it('skips item ids the thread does not have', async () => {
    const { store } = await implementation.open();
    await store.threads.create({ id: 'thr_x', user_id: 'usr_a' });
    await store.threads.create({ id: 'thr_y', user_id: 'usr_a' });
    await store.items.save('thr_y', { id: 'msg_y', type: 'assistant_message', content: [] });
    expect(await store.feedback.record('thr_x', ['msg_missing', 'msg_y'], 'positive', 'usr_a')).toBe(0);
    expect(await store.feedback.record('thr_x', [], 'positive', 'usr_a')).toBe(0);
    expect(await store.feedback.list('thr_y', 'msg_y')).toEqual([]);
  });

  it('drops the votes of a deleted item', async () => {
    const { store } = await implementation.open();
    await store.threads.create({ id: 'thr_x', user_id: 'usr_a' });
    await store.items.save('thr_x', { id: 'msg_1', type: 'user_message', content: [] });
    await store.items.save('thr_x', { id: 'msg_2', type: 'assistant_message', content: [] });
    await store.feedback.record('thr_x', ['msg_2'], 'negative', 'usr_a');
    await store.items.deleteAfter('thr_x', 'msg_1');
    await store.items.save('thr_x', { id: 'msg_2', type: 'assistant_message', content: [] });
    expect(await store.feedback.list('thr_x', 'msg_2')).toEqual([]);
  });
});
