import { describe, expect, it } from 'vitest';
import { implementations } from './implementations.js';

describe.each(implementations)('response store on $name', (implementation) => {
  it('logs frames in order and replays those after a sequence number', async () => {
    const { store } = await implementation.open();
    const thread = await store.threads.create({ user_id: 'usr_a' });
    await store.responses.create({
      id: 'resp_1',
      user_id: 'usr_a',
      thread_id: thread.id,
      message_id: 'msg_1',
    });
    await store.responses.appendFrames('resp_1', [
      { seq: 1, data: '{"type":"start"}' },
      { seq: 2, data: '{"type":"chunk","content":"Hel"}' },
    ]);
    await store.responses.appendFrames('resp_1', [{ seq: 3, data: '{"type":"chunk","content":"lo"}' }]);
    expect((await store.responses.frames('resp_1', 0)).map((f) => f.seq)).toEqual([1, 2, 3]);
    expect(await store.responses.frames('resp_1', 2)).toEqual([
      { seq: 3, data: '{"type":"chunk","content":"lo"}' },
    ]);
    expect(await store.responses.frames('resp_1', 3)).toEqual([]);
  });

  it('scopes a reply to its user and tracks its status', async () => {
    const { store } = await implementation.open();
    const thread = await store.threads.create({ user_id: 'usr_a' });
    await store.responses.create({
      id: 'resp_1',
      user_id: 'usr_a',
      thread_id: thread.id,
      message_id: 'msg_1',
    });
    await store.responses.create({
      id: 'resp_2',
      user_id: 'usr_a',
      thread_id: thread.id,
      message_id: 'msg_2',
    });
    expect(await store.responses.get('resp_1', 'usr_b')).toBeUndefined();
    expect(await store.responses.get('resp_1', 'usr_a')).toMatchObject({
      status: 'running',
      thread_id: thread.id,
    });
    await store.responses.setStatus('resp_1', 'complete');
    expect((await store.responses.listRunning()).map((r) => r.id)).toEqual(['resp_2']);
  });

  it('refuses a frame that repeats a sequence number', async () => {
    const { store } = await implementation.open();
    const thread = await store.threads.create({ user_id: 'usr_a' });
    await store.responses.create({
      id: 'resp_1',
      user_id: 'usr_a',
      thread_id: thread.id,
      message_id: 'msg_1',
    });
    await store.responses.appendFrames('resp_1', [{ seq: 1, data: '{}' }]);
    await expect(store.responses.appendFrames('resp_1', [{ seq: 1, data: '{}' }])).rejects.toThrow();
  });

  it('deletes a reply and its frames with its thread', async () => {
    const { store } = await implementation.open();
    const thread = await store.threads.create({ user_id: 'usr_a' });
    await store.responses.create({
      id: 'resp_1',
      user_id: 'usr_a',
      thread_id: thread.id,
      message_id: 'msg_1',
    });
    await store.responses.appendFrames('resp_1', [{ seq: 1, data: '{}' }]);
    await store.threads.delete(thread.id, 'usr_a');
    expect(await store.responses.get('resp_1', 'usr_a')).toBeUndefined();
    expect(await store.responses.frames('resp_1', 0)).toEqual([]);
  });

  it('lands the appends of many replies made at once, each in order, and fails only a bad one', async () => {
    const { store } = await implementation.open();
    const thread = await store.threads.create({ user_id: 'usr_a' });
    const ids = Array.from({ length: 20 }, (_, i) => `resp_${i}`);
    for (const id of ids) {
      await store.responses.create({ id, user_id: 'usr_a', thread_id: thread.id, message_id: `msg_${id}` });
    }
    // Text that must come back byte for byte: quotes, escapes, new lines, astral characters, size.
    const data = (id: string, seq: number) =>
      JSON.stringify({ type: 'chunk', content: `${id} "${seq}" \\ \n é 🦜 ${'x'.repeat(seq * 100)}` });
    await store.responses.appendFrames('resp_0', [{ seq: 1, data: data('resp_0', 1) }]);
    const appends = ids.flatMap((id) => [
      store.responses.appendFrames(
        id,
        [1, 2, 3].map((seq) => ({ seq: id === 'resp_0' ? seq + 1 : seq, data: data(id, seq) })),
      ),
    ]);
    // resp_0 already has seq 1: an append that repeats it fails, and only it.
    const repeated = store.responses.appendFrames('resp_0', [{ seq: 1, data: '{}' }]);
    const results = await Promise.allSettled([...appends, repeated]);
    expect(results.map((result) => result.status)).toEqual([...ids.map(() => 'fulfilled'), 'rejected']);
    for (const id of ids.slice(1)) {
      expect(await store.responses.frames(id, 0)).toEqual(
        [1, 2, 3].map((seq) => ({ seq, data: data(id, seq) })),
      );
    }
    expect((await store.responses.frames('resp_0', 0)).map((frame) => frame.seq)).toEqual([1, 2, 3, 4]);
  });

  it('records how a reply ended and keeps every frame of its log, filed or not', async () => {
    const { store } = await implementation.open();
    const thread = await store.threads.create({ user_id: 'usr_a' });
    for (const id of ['resp_1', 'resp_2']) {
      await store.responses.create({ id, user_id: 'usr_a', thread_id: thread.id, message_id: `msg_${id}` });
    }
    const log = [1, 2, 3].map((seq) => ({ seq, data: `{"type":"chunk","content":"${seq}"}` }));
    await store.responses.appendFrames('resp_1', log.slice(0, 2));
    await store.responses.appendFrames('resp_2', log.slice(0, 1));
    await store.responses.appendFrames('resp_1', log.slice(2));
    await store.responses.finish('resp_1', 'complete', log);

    expect(await store.responses.frames('resp_1', 0)).toEqual(log);
    expect(await store.responses.frames('resp_1', 1)).toEqual(log.slice(1));
    expect(await store.responses.frames('resp_2', 0)).toEqual(log.slice(0, 1));
    expect((await store.responses.get('resp_1', 'usr_a'))?.status).toBe('complete');
    expect((await store.responses.listRunning()).map((r) => r.id)).toEqual(['resp_2']);
    // The reply that still runs goes on from its last frame, and still refuses a repeat.
    await store.responses.appendFrames('resp_2', log.slice(1, 2));
    await expect(store.responses.appendFrames('resp_2', log.slice(1, 2))).rejects.toThrow();
    await store.responses.finish('resp_2', 'cancelled', log.slice(0, 2));
    expect(await store.responses.frames('resp_2', 0)).toEqual(log.slice(0, 2));
    expect((await store.responses.get('resp_2', 'usr_a'))?.status).toBe('cancelled');
  });

  it('refuses frames of a reply that does not exist', async () => {
    const { store } = await implementation.open();
    await expect(store.responses.appendFrames('resp_missing', [{ seq: 1, data: '{}' }])).rejects.toThrow();
  });
});
