import type { StoredFile } from '@cartrita/engine';
import { describe, expect, it } from 'vitest';
import { type AllRepositories, implementations } from './implementations.js';

const at = '2026-12-01T10:00:00.000Z';

const file = (id: string, user_id = 'usr_a', overrides: Partial<StoredFile> = {}): StoredFile => ({
  id,
  user_id,
  filename: `${id}.txt`,
  content_type: 'text/plain',
  size: 12,
  blob_key: `files/${id}`,
  status: 'pending',
  progress: 0,
  chunks_created: 0,
  error: null,
  conversation_id: null,
  created_at: at,
  updated_at: at,
  ...overrides,
});

const index = (store: AllRepositories, fileId: string, user_id: string, texts: string[]) =>
  store.chunks.replace(
    fileId,
    texts.map((text, i) => ({ file_id: fileId, user_id, index: i, text })),
  );

describe.each(implementations)('files area repositories on $name', (implementation) => {
  it('keeps a file as it was given and lists a user’s files newest first', async () => {
    const { store } = await implementation.open();
    await store.files.create(file('file_1', 'usr_a', { conversation_id: 'thr_1', size: 3_000_000_000 }));
    await store.files.create(file('file_2'));
    await store.files.create(file('file_3', 'usr_b'));
    expect(await store.files.get('file_1')).toEqual(
      file('file_1', 'usr_a', { conversation_id: 'thr_1', size: 3_000_000_000 }),
    );
    expect((await store.files.list('usr_a')).map((row) => row.id)).toEqual(['file_2', 'file_1']);
    expect((await store.files.list('usr_b')).map((row) => row.id)).toEqual(['file_3']);
    expect(await store.files.list('usr_c')).toEqual([]);
    expect(await store.files.get('file_9')).toBeUndefined();
  });

  it('moves progress forward only, and ends with the outcome', async () => {
    const { store } = await implementation.open();
    await store.files.create(file('file_1'));
    const later = '2026-12-01T10:00:05.000Z';
    expect(
      await store.files.update('file_1', { status: 'processing', progress: 40, updated_at: later }),
    ).toMatchObject({ status: 'processing', progress: 40, updated_at: later });
    expect(
      await store.files.update('file_1', { status: 'processing', progress: 10, updated_at: later }),
    ).toMatchObject({
      progress: 40,
    });
    expect(
      await store.files.update('file_1', {
        status: 'failed',
        progress: 40,
        error: 'The PDF has 900 pages; the limit is 500.',
        updated_at: later,
      }),
    ).toMatchObject({
      status: 'failed',
      progress: 40,
      chunks_created: 0,
      error: 'The PDF has 900 pages; the limit is 500.',
    });
    expect(
      await store.files.update('file_9', { status: 'completed', progress: 100, updated_at: later }),
    ).toBeUndefined();
  });

  it('finds the files left pending or processing, oldest first', async () => {
    const { store } = await implementation.open();
    await store.files.create(file('file_1', 'usr_a', { status: 'processing', progress: 10 }));
    await store.files.create(file('file_2', 'usr_b', { status: 'completed', progress: 100 }));
    await store.files.create(file('file_3', 'usr_c'));
    await store.files.create(file('file_4', 'usr_a', { status: 'failed', progress: 5, error: 'bad' }));
    expect((await store.files.unfinished()).map((row) => row.id)).toEqual(['file_1', 'file_3']);
    expect(await store.files.delete('file_1')).toBe(true);
    expect(await store.files.delete('file_1')).toBe(false);
    expect((await store.files.unfinished()).map((row) => row.id)).toEqual(['file_3']);
  });

  it('ranks the chunk that says the words most often first, and finds only the user’s own', async () => {
    const { store } = await implementation.open();
    await index(store, 'file_1', 'usr_a', [
      'The harbour report covers cargo volumes and weather delays across the quarter.',
      'Zebra crossings near the harbour: zebra markings were repainted, and zebra signs replaced.',
      'Staff rota for the canteen.',
    ]);
    await index(store, 'file_2', 'usr_a', [
      'A single zebra appears in this otherwise unrelated note about gardens.',
    ]);
    await index(store, 'file_3', 'usr_b', ['Zebra zebra zebra zebra: another user’s file.']);
    const hits = await store.chunks.search({ user_id: 'usr_a', query: 'Zebra?' });
    expect(hits.map((hit) => [hit.file_id, hit.index])).toEqual([
      ['file_1', 1],
      ['file_2', 0],
    ]);
    expect(hits[0]?.text).toBe(
      'Zebra crossings near the harbour: zebra markings were repainted, and zebra signs replaced.',
    );
    expect(hits[0]?.score).toBeGreaterThan(hits[1]?.score as number);
    expect(hits[1]?.score).toBeGreaterThan(0);
  });

  it('searches only the files named, reads operators as words, and finds nothing without words', async () => {
    const { store } = await implementation.open();
    await index(store, 'file_1', 'usr_a', ['Harbour cargo volumes.']);
    await index(store, 'file_2', 'usr_a', ['Harbour weather delays.']);
    expect(
      (await store.chunks.search({ user_id: 'usr_a', query: 'harbour', file_ids: ['file_2'] })).map(
        (hit) => hit.file_id,
      ),
    ).toEqual(['file_2']);
    expect(await store.chunks.search({ user_id: 'usr_a', query: 'harbour', file_ids: [] })).toEqual([]);
    expect(await store.chunks.search({ user_id: 'usr_a', query: '"*) OR NEAR( & | !' })).toEqual([]);
    expect(await store.chunks.search({ user_id: 'usr_a', query: '   ' })).toEqual([]);
    expect(
      (await store.chunks.search({ user_id: 'usr_a', query: 'cargo AND NOT harbour' })).map(
        (hit) => hit.file_id,
      ),
    ).toEqual(['file_1', 'file_2']);
    expect((await store.chunks.search({ user_id: 'usr_a', query: 'harbour', limit: 1 })).length).toBe(1);
  });

  it('replaces a file’s chunks and forgets them on delete', async () => {
    const { store } = await implementation.open();
    await index(store, 'file_1', 'usr_a', ['old words about walruses', 'more walruses']);
    await index(store, 'file_1', 'usr_a', ['new words about puffins']);
    expect(await store.chunks.search({ user_id: 'usr_a', query: 'walruses' })).toEqual([]);
    expect(
      (await store.chunks.search({ user_id: 'usr_a', query: 'puffins' })).map((hit) => hit.text),
    ).toEqual(['new words about puffins']);
    expect(await store.chunks.deleteFile('file_1')).toBe(1);
    expect(await store.chunks.search({ user_id: 'usr_a', query: 'puffins' })).toEqual([]);
    expect(await store.chunks.deleteFile('file_1')).toBe(0);
  });
});
