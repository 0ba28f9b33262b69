import type { StoredMemory } from '@cartrita/engine';
import { describe, expect, it } from 'vitest';
import { type AllRepositories, implementations } from './implementations.js';

const memory = (id: string, overrides: Partial<StoredMemory> = {}): StoredMemory => ({
  id,
  user_id: 'usr_a',
  session_id: null,
  type: 'fact',
  content: `content of ${id}`,
  metadata: { source: 'test', nested: { n: 1 } },
  timestamp: '2026-12-01T10:00:00.000Z',
  ...overrides,
});

const ids = (rows: readonly { id: string }[]) => rows.map((row) => row.id);

/** Three memories of usr_a (a profile, a fact, a conversation of thr_1) and one of usr_b. */
const seed = async (store: AllRepositories) => {
  await store.memories.create(
    memory('mem_profile', { type: 'profile', timestamp: '2026-12-01T09:00:00.000Z' }),
  );
  await store.memories.create(memory('mem_fact', { timestamp: '2026-12-01T10:00:00.000Z' }));
  await store.memories.create(
    memory('mem_conv', { type: 'conversation', session_id: 'thr_1', timestamp: '2026-12-01T11:00:00.000Z' }),
  );
  await store.memories.create(memory('mem_other', { user_id: 'usr_b' }));
};

describe.each(implementations)('memory area repositories on $name', (implementation) => {
  it('keeps a memory as given and gives it back to its user only', async () => {
    const { store } = await implementation.open();
    const created = await store.memories.create(memory('mem_1'));
    expect(created).toEqual(memory('mem_1'));
    expect(await store.memories.get('mem_1', 'usr_a')).toEqual(memory('mem_1'));
    expect(await store.memories.get('mem_1', 'usr_b')).toBeUndefined();
    expect(await store.memories.get('mem_none', 'usr_a')).toBeUndefined();
  });

  it('lists a user’s memories newest first, by type, a page at a time, with the total', async () => {
    const { store } = await implementation.open();
    await seed(store);
    const all = await store.memories.list({ user_id: 'usr_a', limit: 10, offset: 0 });
    expect(ids(all.memories)).toEqual(['mem_conv', 'mem_fact', 'mem_profile']);
    expect(all.total).toBe(3);
    const page = await store.memories.list({ user_id: 'usr_a', limit: 1, offset: 1 });
    expect(ids(page.memories)).toEqual(['mem_fact']);
    expect(page.total).toBe(3);
    const facts = await store.memories.list({ user_id: 'usr_a', type: 'fact', limit: 10, offset: 0 });
    expect(ids(facts.memories)).toEqual(['mem_fact']);
    expect(facts.total).toBe(1);
    const beyond = await store.memories.list({ user_id: 'usr_a', limit: 10, offset: 5 });
    expect(beyond).toEqual({ memories: [], total: 3 });
  });

  it('changes content and metadata of the user’s own memory only', async () => {
    const { store } = await implementation.open();
    await seed(store);
    expect(await store.memories.update('mem_fact', 'usr_b', { content: 'theirs' })).toBeUndefined();
    const content = await store.memories.update('mem_fact', 'usr_a', { content: 'changed' });
    expect(content).toEqual(memory('mem_fact', { content: 'changed' }));
    const metadata = await store.memories.update('mem_fact', 'usr_a', { metadata: { only: true } });
    expect(metadata).toEqual(memory('mem_fact', { content: 'changed', metadata: { only: true } }));
    expect(await store.memories.update('mem_fact', 'usr_a', {})).toEqual(metadata);
    expect(await store.memories.update('mem_none', 'usr_a', { content: 'x' })).toBeUndefined();
  });

  it('deletes the user’s own memory only', async () => {
    const { store } = await implementation.open();
    await seed(store);
    expect(await store.memories.delete('mem_fact', 'usr_b')).toBe(false);
    expect(await store.memories.delete('mem_fact', 'usr_a')).toBe(true);
    expect(await store.memories.delete('mem_fact', 'usr_a')).toBe(false);
    expect(await store.memories.get('mem_fact', 'usr_a')).toBeUndefined();
  });

  it('clears by type, by age, both, or all of one user’s memories', async () => {
    const { store } = await implementation.open();
    await seed(store);
    expect(await store.memories.clear({ user_id: 'usr_a', older_than: '2026-12-01T10:00:00.000Z' })).toBe(1);
    expect(ids((await store.memories.list({ user_id: 'usr_a', limit: 10, offset: 0 })).memories)).toEqual([
      'mem_conv',
      'mem_fact',
    ]);
    expect(
      await store.memories.clear({
        user_id: 'usr_a',
        type: 'conversation',
        older_than: '2026-12-01T11:00:00.000Z',
      }),
    ).toBe(0);
    expect(await store.memories.clear({ user_id: 'usr_a', type: 'conversation' })).toBe(1);
    expect(await store.memories.clear({ user_id: 'usr_a' })).toBe(1);
    expect((await store.memories.list({ user_id: 'usr_a', limit: 10, offset: 0 })).total).toBe(0);
    expect(ids((await store.memories.list({ user_id: 'usr_b', limit: 10, offset: 0 })).memories)).toEqual([
      'mem_other',
    ]);
  });

  it('clears the memories of one session (a conversation) only, and only the user’s', async () => {
    const { store } = await implementation.open();
    await seed(store);
    await store.memories.create(
      memory('mem_conv_b', { user_id: 'usr_b', type: 'conversation', session_id: 'thr_1' }),
    );
    expect(await store.memories.clear({ user_id: 'usr_a', session_id: 'thr_2' })).toBe(0);
    expect(await store.memories.clear({ user_id: 'usr_a', session_id: 'thr_1' })).toBe(1);
    expect(ids((await store.memories.list({ user_id: 'usr_a', limit: 10, offset: 0 })).memories)).toEqual([
      'mem_fact',
      'mem_profile',
    ]);
    expect(ids((await store.memories.list({ user_id: 'usr_b', limit: 10, offset: 0 })).memories)).toEqual([
      'mem_conv_b',
      'mem_other',
    ]);
  });

  it('offers a session’s prompt the user’s profile and facts and that session’s exchanges only', async () => {
    const { store } = await implementation.open();
    await seed(store);
    await store.memories.create(memory('mem_conv_2', { type: 'conversation', session_id: 'thr_2' }));
    expect(
      ids(await store.memories.candidates({ user_id: 'usr_a', session_id: 'thr_1', limit: 10 })),
    ).toEqual(['mem_conv', 'mem_fact', 'mem_profile']);
    expect(ids(await store.memories.candidates({ user_id: 'usr_a', session_id: 'thr_2', limit: 2 }))).toEqual(
      ['mem_conv_2', 'mem_fact'],
    );
  });
});

describe.each(implementations)('configuration area repositories on $name', (implementation) => {
  it('keeps one row per section, the latest overrides of each', async () => {
    const { store } = await implementation.open();
    expect(await store.configSections.all()).toEqual([]);
    await store.configSections.put({
      config_type: 'memory',
      overrides: { max_memories_per_prompt: 3 },
      updated_at: '2026-12-01T10:00:00.000Z',
    });
    await store.configSections.put({
      config_type: 'context',
      overrides: { chunk_size: 500, chunk_overlap: 50 },
      updated_at: '2026-12-01T10:00:01.000Z',
    });
    await store.configSections.put({
      config_type: 'memory',
      overrides: { max_memories_per_prompt: 2, retention_days: 7 },
      updated_at: '2026-12-01T10:00:02.000Z',
    });
    expect(await store.configSections.all()).toEqual([
      {
        config_type: 'context',
        overrides: { chunk_size: 500, chunk_overlap: 50 },
        updated_at: '2026-12-01T10:00:01.000Z',
      },
      {
        config_type: 'memory',
        overrides: { max_memories_per_prompt: 2, retention_days: 7 },
        updated_at: '2026-12-01T10:00:02.000Z',
      },
    ]);
  });
});
