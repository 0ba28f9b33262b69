import type { StoredLog } from '@cartrita/engine';
import { describe, expect, it } from 'vitest';
import { implementations } from './implementations.js';

const log = (id: number, fields: Partial<StoredLog> = {}): StoredLog => ({
  log_id: `log_${String(id).padStart(16, '0')}`,
  level: 'info',
  message: `entry ${id}`,
  metadata: {},
  timestamp: `2026-03-01T10:00:0${id % 10}.000Z`,
  ...fields,
});

describe.each(implementations)('log store on $name', (implementation) => {
  it('gives back an entry as it was stored, without the fields it did not have', async () => {
    const { store } = await implementation.open();
    const full = log(1, {
      level: 'warn',
      metadata: { user: 'u1', nested: { list: [1, 'two', true] } },
      session_id: 'sess_a',
      trace_id: 'a'.repeat(32),
    });
    await store.logs.append(full);
    await store.logs.append(log(2));
    const { logs, total } = await store.logs.list({}, 10);
    expect(total).toBe(2);
    expect(logs).toEqual([log(2), full]);
    expect(Object.keys(logs[0] ?? {})).not.toContain('session_id');
    expect(Object.keys(logs[0] ?? {})).not.toContain('trace_id');
  });

  it('lists the newest first, entries of the same millisecond by arrival, and counts every match', async () => {
    const { store } = await implementation.open();
    await store.logs.append(log(3));
    await store.logs.append(log(1));
    await store.logs.append(log(5, { timestamp: log(3).timestamp }));
    await store.logs.append(log(2));
    const { logs, total } = await store.logs.list({}, 3);
    expect(logs.map((entry) => entry.message)).toEqual(['entry 5', 'entry 3', 'entry 2']);
    expect(total).toBe(4);
  });

  it('filters by levels and by session', async () => {
    const { store } = await implementation.open();
    await store.logs.append(log(1, { level: 'debug', session_id: 'sess_a' }));
    await store.logs.append(log(2, { level: 'error', session_id: 'sess_a' }));
    await store.logs.append(log(3, { level: 'warn', session_id: 'sess_b' }));
    await store.logs.append(log(4, { level: 'error' }));
    const severe = await store.logs.list({ levels: ['warn', 'error'] }, 10);
    expect(severe.logs.map((entry) => entry.message)).toEqual(['entry 4', 'entry 3', 'entry 2']);
    const mine = await store.logs.list({ levels: ['warn', 'error'], session_id: 'sess_a' }, 10);
    expect(mine).toEqual({ logs: [log(2, { level: 'error', session_id: 'sess_a' })], total: 1 });
    expect(await store.logs.list({ levels: [] }, 10)).toEqual({ logs: [], total: 0 });
  });

  it('counts entries by level, of one session or of all', async () => {
    const { store } = await implementation.open();
    await store.logs.append(log(1, { level: 'debug', session_id: 'sess_a' }));
    await store.logs.append(log(2, { level: 'error', session_id: 'sess_a' }));
    await store.logs.append(log(3, { level: 'error', session_id: 'sess_b' }));
    expect(await store.logs.countByLevel('sess_a')).toEqual({ debug: 1, error: 1 });
    expect(await store.logs.countByLevel()).toEqual({ debug: 1, error: 2 });
    expect(await store.logs.countByLevel('sess_none')).toEqual({});
  });

  it('refuses a second entry with the same id', async () => {
    const { store } = await implementation.open();
    await store.logs.append(log(1));
    await expect(store.logs.append(log(1))).rejects.toThrow();
  });

  it('purges the entries before a time and keeps the rest', async () => {
    const { store } = await implementation.open();
    for (const id of [1, 2, 3]) await store.logs.append(log(id));
    expect(await store.logs.purgeBefore('2026-03-01T10:00:02.000Z')).toBe(1);
    expect((await store.logs.list({}, 10)).logs.map((entry) => entry.message)).toEqual([
      'entry 3',
      'entry 2',
    ]);
  });
});
