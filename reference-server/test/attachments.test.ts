import { describe, expect, it } from 'vitest';
import { chatkit, createSecret, input, readEvents, useServer } from './helpers.js';

const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

const form = (bytes: Uint8Array<ArrayBuffer>, name: string, type: string) => {
  const body = new FormData();
  body.append('file', new Blob([bytes], { type }), name);
  return body;
};

describe('ChatKit attachments', () => {
  it('uploads in two phases, previews, and expands ids on the sent message', async () => {
    const { url } = await useServer();
    const secret = await createSecret(url);
    const created = await chatkit(url, secret, {
      type: 'attachments.create',
      params: { name: 'dot.png', size: png.length, mime_type: 'image/png' },
    });
    expect(created.status).toBe(200);
    const attachment = await created.json();
    expect(attachment).toMatchObject({
      type: 'image',
      name: 'dot.png',
      upload_descriptor: { method: 'POST', headers: {} },
    });

    const uploaded = await fetch(attachment.upload_descriptor.url, {
      method: 'POST',
      body: form(png, 'dot.png', 'image/png'),
    });
    expect(uploaded.status).toBe(200);
    const done = await uploaded.json();
    expect(done.upload_descriptor).toBeUndefined();
    expect(done.preview_url).toMatch(/\/preview\?/);

    const preview = await fetch(done.preview_url);
    expect(preview.status).toBe(200);
    expect(preview.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await preview.arrayBuffer()).equals(png)).toBe(true);

    const again = await fetch(attachment.upload_descriptor.url, {
      method: 'POST',
      body: form(png, 'dot.png', 'image/png'),
    });
    expect(again.status).toBe(409);

    const events = await readEvents(
      await chatkit(url, secret, {
        type: 'threads.create',
        params: { input: input('Look', [attachment.id]) },
      }),
    );
    const message = events.find((e) => e.type === 'thread.item.done' && e.item.type === 'user_message');
    if (message?.type !== 'thread.item.done' || message.item.type !== 'user_message')
      throw new Error('no message');
    const created_ = events[0];
    const threadId = created_?.type === 'thread.created' ? created_.thread.id : '';
    expect(message.item.attachments).toMatchObject([
      { id: attachment.id, type: 'image', name: 'dot.png', thread_id: threadId },
    ]);
  });

  it('accepts a direct multipart upload', async () => {
    const { url } = await useServer();
    const res = await fetch(`${url}/chatkit/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await createSecret(url)}` },
      body: form(new TextEncoder().encode('hello'), 'note.txt', 'text/plain'),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ type: 'file', name: 'note.txt', mime_type: 'text/plain' });
  });

  it('refuses a type that is not allowed with 415 and a file over the limit with 413', async () => {
    const { url } = await useServer({ env: { UPLOAD_MAX_BYTES: '10' } });
    const secret = await createSecret(url);
    const exe = await chatkit(url, secret, {
      type: 'attachments.create',
      params: { name: 'x.exe', size: 5, mime_type: 'application/x-msdownload' },
    });
    expect(exe.status).toBe(415);
    const big = await chatkit(url, secret, {
      type: 'attachments.create',
      params: { name: 'a.txt', size: 11, mime_type: 'text/plain' },
    });
    expect(big.status).toBe(413);
    const direct = await fetch(`${url}/chatkit/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}` },
      body: form(new Uint8Array(64), 'a.txt', 'text/plain'),
    });
    expect(direct.status).toBe(413);
    expect((await direct.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses a tampered upload or preview signature with 403', async () => {
    const { url } = await useServer();
    const secret = await createSecret(url);
    const attachment = await (
      await chatkit(url, secret, {
        type: 'attachments.create',
        params: { name: 'a.png', size: 3, mime_type: 'image/png' },
      })
    ).json();
    const tampered = attachment.upload_descriptor.url.replace(/sig=[^&]+/, 'sig=AAAA');
    const res = await fetch(tampered, { method: 'POST', body: form(png, 'a.png', 'image/png') });
    expect(res.status).toBe(403);
    expect((await fetch(attachment.preview_url.replace('/preview', '/upload'))).status).toBe(404);
  });

  it('refuses to send a message with an attachment that has no bytes yet', async () => {
    const { url } = await useServer();
    const secret = await createSecret(url);
    const attachment = await (
      await chatkit(url, secret, {
        type: 'attachments.create',
        params: { name: 'a.txt', size: 3, mime_type: 'text/plain' },
      })
    ).json();
    const res = await chatkit(url, secret, {
      type: 'threads.create',
      params: { input: input('x', [attachment.id]) },
    });
    expect(res.status).toBe(409);
  });

  it('deletes an attachment, after which it is unknown', async () => {
    const { url } = await useServer();
    const secret = await createSecret(url);
    const attachment = await (
      await chatkit(url, secret, {
        type: 'attachments.create',
        params: { name: 'a.txt', size: 3, mime_type: 'text/plain' },
      })
    ).json();
    const deleted = await chatkit(url, secret, {
      type: 'attachments.delete',
      params: { attachment_id: attachment.id },
    });
    expect(await deleted.json()).toEqual({});
    const again = await chatkit(url, secret, {
      type: 'attachments.delete',
      params: { attachment_id: attachment.id },
    });
    expect(again.status).toBe(404);
  });
});
