import { describe, expect, it } from 'vitest';
import { engines } from '../../../tests/engines.js';
import { openTestStorage } from '../../../tests/storage.js';

const post = { method: 'POST', path: '/api/sessions', bodyHash: 'abc' };
const body = new TextEncoder().encode('{"session_id":"sess_1"}');

describe.each(engines)('idempotency store on $name', (engine) => {
  it('claims a new key once and reports it in progress until completed', async () => {
    const { store } = await openTestStorage(engine);
    expect(await store.idempotency.begin('usr_a', 'key-1', post)).toBe('new');
    expect(await store.idempotency.begin('usr_a', 'key-1', post)).toBe('in_progress');
  });

  it('replays the stored status, headers and body bytes', async () => {
    const { store } = await openTestStorage(engine);
    await store.idempotency.begin('usr_a', 'key-1', post);
    const bytes = new Uint8Array([0, 255, 1, 254, ...body]);
    await store.idempotency.complete('usr_a', 'key-1', {
      statusCode: 201,
      headers: { 'content-type': 'application/json' },
      body: bytes,
    });
    const result = await store.idempotency.begin('usr_a', 'key-1', post);
    expect(result).toMatchObject({
      replay: { statusCode: 201, headers: { 'content-type': 'application/json' } },
    });
    if (typeof result !== 'object') throw new Error('expected a replay');
    expect(new Uint8Array(result.replay.body)).toEqual(bytes);
  });

  it('refuses a key reused with another method, path or body', async () => {
    const { store } = await openTestStorage(engine);
    await store.idempotency.begin('usr_a', 'key-1', post);
    expect(await store.idempotency.begin('usr_a', 'key-1', { ...post, bodyHash: 'other' })).toBe('mismatch');
    expect(await store.idempotency.begin('usr_a', 'key-1', { ...post, path: '/api/engines' })).toBe(
      'mismatch',
    );
    expect(await store.idempotency.begin('usr_a', 'key-1', { ...post, method: 'PUT' })).toBe('mismatch');
  });

  it('keeps the keys of different callers apart', async () => {
    const { store } = await openTestStorage(engine);
    expect(await store.idempotency.begin('usr_a', 'key-1', post)).toBe('new');
    expect(await store.idempotency.begin('usr_b', 'key-1', { ...post, bodyHash: 'other' })).toBe('new');
  });

  it('forgets a released key so a retry runs again', async () => {
    const { store } = await openTestStorage(engine);
    await store.idempotency.begin('usr_a', 'key-1', post);
    await store.idempotency.release('usr_a', 'key-1');
    expect(await store.idempotency.begin('usr_a', 'key-1', { ...post, bodyHash: 'changed' })).toBe('new');
  });

  it('lets exactly one of many simultaneous requests claim a key', async () => {
    const { store } = await openTestStorage(engine);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => store.idempotency.begin('usr_a', 'key-1', post)),
    );
    expect(results.filter((result) => result === 'new')).toHaveLength(1);
    expect(results.filter((result) => result === 'in_progress')).toHaveLength(7);
  });

  it('treats keys older than 24 hours as unused and purges them', async () => {
    const { store } = await openTestStorage(engine);
    const then = new Date('2026-01-01T00:00:00Z');
    const dayLater = new Date('2026-01-02T00:00:01Z');
    await store.idempotency.begin('usr_a', 'old', post, then);
    await store.idempotency.complete('usr_a', 'old', { statusCode: 200, headers: {}, body });
    await store.idempotency.begin('usr_a', 'stale', post, then);
    await store.idempotency.begin('usr_a', 'fresh', post, dayLater);
    expect(await store.idempotency.begin('usr_a', 'old', { ...post, bodyHash: 'x' }, dayLater)).toBe('new');
    expect(await store.idempotency.purgeOlderThan(new Date('2026-01-01T12:00:00Z'))).toBe(1);
    expect(await store.idempotency.begin('usr_a', 'fresh', post, dayLater)).toBe('in_progress');
    expect(await store.idempotency.begin('usr_a', 'stale', post, dayLater)).toBe('new');
  });
});
