/**
 * SQLite keeps the frames of live replies in arrival order (`chat_frame_log`) and files them by reply
 * when the reply ends: what that must never change about the log, seen from the store.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { openStorage } from '../../reference-server/src/storage/index.js';
import { sqliteEngine } from '../engines.js';

const frame = (seq: number) => ({ seq, data: JSON.stringify({ type: 'chunk', content: `part ${seq}` }) });

/** Storage over one SQLite file, opened as often as a test restarts the server. */
const database = async () => {
  const target = await sqliteEngine.createDatabase();
  return async () => {
    const storage = await openStorage(target);
    onTestFinished(() => storage.close());
    return storage;
  };
};

const logRows = async (storage: Awaited<ReturnType<Awaited<ReturnType<typeof database>>>>) =>
  (await storage.db.selectFrom('chat_frame_log').select(['response_id', 'seq']).orderBy('id').execute()).map(
    (row) => `${row.response_id}:${row.seq}`,
  );

describe('the SQLite frame log', () => {
  it('files the frames a stopped process left in the log before anything reads them', async () => {
    const open = await database();
    const first = await open();
    const thread = await first.store.threads.create({ user_id: 'usr_a' });
    await first.store.responses.create({
      id: 'resp_1',
      user_id: 'usr_a',
      thread_id: thread.id,
      message_id: 'm',
    });
    await first.store.responses.appendFrames('resp_1', [frame(1), frame(2)]);
    await first.store.responses.appendFrames('resp_1', [frame(3)]);
    expect(await logRows(first)).toEqual(['resp_1:1', 'resp_1:2', 'resp_1:3']);
    await first.close();

    const second = await open();
    expect(await second.store.responses.frames('resp_1', 1)).toEqual([frame(2), frame(3)]);
    expect(await logRows(second)).toEqual([]);
    // The reply goes on from its last frame: recovery appends its closing frame and files it.
    await expect(second.store.responses.appendFrames('resp_1', [frame(3)])).rejects.toThrow(/already logged/);
    await second.store.responses.appendFrames('resp_1', [frame(4)]);
    await second.store.responses.finish('resp_1', 'incomplete', [frame(1), frame(2), frame(3), frame(4)]);
    expect(await second.store.responses.frames('resp_1', 0)).toEqual([1, 2, 3, 4].map(frame));
  });

  it('trims the rows every open reply has left behind, and keeps those of the replies still running', async () => {
    const storage = await (await database())();
    const { store } = storage;
    const thread = await store.threads.create({ user_id: 'usr_a' });
    for (const id of ['resp_a', 'resp_b', 'resp_c']) {
      await store.responses.create({ id, user_id: 'usr_a', thread_id: thread.id, message_id: `m_${id}` });
    }
    await store.responses.appendFrames('resp_a', [frame(1)]);
    await store.responses.appendFrames('resp_b', [frame(1)]);
    await store.responses.appendFrames('resp_a', [frame(2)]);
    await store.responses.appendFrames('resp_c', [frame(1)]);

    // resp_b ended, but resp_a began before it and runs on: nothing can go yet.
    await store.responses.finish('resp_b', 'complete', [frame(1)]);
    await expect.poll(() => logRows(storage)).toEqual(['resp_a:1', 'resp_b:1', 'resp_a:2', 'resp_c:1']);
    // resp_a ended: everything before resp_c's first row goes.
    await store.responses.finish('resp_a', 'complete', [frame(1), frame(2)]);
    await expect.poll(() => logRows(storage)).toEqual(['resp_c:1']);
    await store.responses.appendFrames('resp_c', [frame(2)]);
    expect(await store.responses.frames('resp_c', 0)).toEqual([frame(1), frame(2)]);
    await store.responses.finish('resp_c', 'failed', [frame(1), frame(2)]);
    await expect.poll(() => logRows(storage)).toEqual([]);

    for (const id of ['resp_a', 'resp_b', 'resp_c']) {
      expect((await store.responses.frames(id, 0)).length).toBe(id === 'resp_b' ? 1 : 2);
    }
    expect((await store.responses.listRunning()).map((reply) => reply.id)).toEqual([]);
  });

  it('forgets the unfiled frames of a reply whose thread is deleted, and files nothing for it', async () => {
    const storage = await (await database())();
    const { store } = storage;
    const thread = await store.threads.create({ user_id: 'usr_a' });
    await store.responses.create({ id: 'resp_1', user_id: 'usr_a', thread_id: thread.id, message_id: 'm' });
    await store.responses.appendFrames('resp_1', [frame(1), frame(2)]);
    await store.threads.delete(thread.id, 'usr_a');
    expect(await store.responses.frames('resp_1', 0)).toEqual([]);
    await store.responses.finish('resp_1', 'cancelled', [frame(1), frame(2)]);
    expect(await store.responses.frames('resp_1', 0)).toEqual([]);
    await expect.poll(() => logRows(storage)).toEqual([]);
  });
});
