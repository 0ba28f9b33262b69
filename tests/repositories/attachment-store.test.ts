import { describe, expect, it } from 'vitest';
import { implementations } from './implementations.js';

describe.each(implementations)('attachment store on $name', (implementation) => {
  it('creates a pending attachment whose kind follows its mime type', async () => {
    const { store } = await implementation.open();
    const image = await store.attachments.create({
      user_id: 'usr_a',
      name: 'cat.png',
      mime_type: 'image/png',
      size: 1234,
    });
    expect(image).toMatchObject({
      user_id: 'usr_a',
      thread_id: null,
      name: 'cat.png',
      mime_type: 'image/png',
      size: 1234,
      kind: 'image',
      status: 'pending',
      blob_key: null,
    });
    expect(image.id).toMatch(/^atc_[0-9a-f]{16}$/);
    const file = await store.attachments.create({
      user_id: 'usr_a',
      name: 'a.pdf',
      mime_type: 'application/pdf',
    });
    expect(file).toMatchObject({ kind: 'file', size: 0 });
    expect(await store.attachments.get(image.id, 'usr_a')).toEqual(image);
  });

  it('hides an attachment from every user but its owner', async () => {
    const { store } = await implementation.open();
    const attachment = await store.attachments.create({
      user_id: 'usr_a',
      name: 'a.txt',
      mime_type: 'text/plain',
    });
    expect(await store.attachments.get(attachment.id, 'usr_b')).toBeUndefined();
    expect(await store.attachments.delete(attachment.id, 'usr_b')).toBeUndefined();
    expect(await store.attachments.get('atc_missing', 'usr_a')).toBeUndefined();
  });

  it('finds an attachment by id alone, for requests authorised by a signed link', async () => {
    const { store } = await implementation.open();
    const attachment = await store.attachments.create({
      user_id: 'usr_a',
      name: 'a.txt',
      mime_type: 'text/plain',
    });
    expect(await store.attachments.getById(attachment.id)).toEqual(attachment);
    expect(await store.attachments.getById('atc_missing')).toBeUndefined();
  });

  it('marks an attachment uploaded with its blob key and measured size', async () => {
    const { store } = await implementation.open();
    const attachment = await store.attachments.create({
      user_id: 'usr_a',
      name: 'big.bin',
      mime_type: 'application/octet-stream',
      size: 10,
    });
    const uploaded = await store.attachments.markUploaded(
      attachment.id,
      `${attachment.id}/big.bin`,
      5_000_000_000,
    );
    expect(uploaded).toEqual({
      ...attachment,
      status: 'uploaded',
      blob_key: `${attachment.id}/big.bin`,
      size: 5_000_000_000,
    });
    expect(await store.attachments.markUploaded('atc_missing', 'k', 1)).toBeUndefined();
  });

  it('attaches the user’s attachments to a thread in the order asked, skipping others', async () => {
    const { store } = await implementation.open();
    const thread = await store.threads.create({ user_id: 'usr_a' });
    const first = await store.attachments.create({
      user_id: 'usr_a',
      name: '1.txt',
      mime_type: 'text/plain',
    });
    const second = await store.attachments.create({
      user_id: 'usr_a',
      name: '2.txt',
      mime_type: 'text/plain',
    });
    const foreign = await store.attachments.create({
      user_id: 'usr_b',
      name: '3.txt',
      mime_type: 'text/plain',
    });
    const attached = await store.attachments.attachToThread(
      [second.id, foreign.id, 'atc_missing', first.id, second.id],
      thread.id,
      'usr_a',
    );
    expect(attached.map((attachment) => attachment.id)).toEqual([second.id, first.id]);
    expect(attached.every((attachment) => attachment.thread_id === thread.id)).toBe(true);
    expect((await store.attachments.get(foreign.id, 'usr_b'))?.thread_id).toBeNull();
    expect(await store.attachments.attachToThread([], thread.id, 'usr_a')).toEqual([]);
  });

  it('deletes an attachment and returns it so its blob can go too', async () => {
    const { store } = await implementation.open();
    const attachment = await store.attachments.create({
      user_id: 'usr_a',
      name: 'a.txt',
      mime_type: 'text/plain',
    });
    await store.attachments.markUploaded(attachment.id, 'blob/a', 3);
    expect(await store.attachments.delete(attachment.id, 'usr_a')).toMatchObject({ blob_key: 'blob/a' });
    expect(await store.attachments.get(attachment.id, 'usr_a')).toBeUndefined();
    expect(await store.attachments.delete(attachment.id, 'usr_a')).toBeUndefined();
  });
});
