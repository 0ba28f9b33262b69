// @vitest-environment happy-dom
import { ChatKit } from '@cartrita/sdk/chatkit';
import { Transport } from '@cartrita/sdk/core';
import { describe, expect, it } from 'vitest';
import { FakeHost, fakeFetch, json, settle } from '../../../../tests/widget/fake-chatkit.js';
import { type AttachmentLimits, AttachmentsController, accepts, limitFor } from './attachments-controller.js';

/** An XMLHttpRequest the test drives: progress events, then a response. */
class FakeXhr {
  static last: FakeXhr | undefined;
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown;
  status = 0;
  responseText = '';
  aborted = false;
  upload: {
    onprogress: ((event: { lengthComputable: boolean; loaded: number; total: number }) => void) | null;
  } = {
    onprogress: null,
  };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: unknown) {
    this.body = body;
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ lengthComputable: true, loaded, total });
  }
  respond(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

const announced = (name: string) => ({
  id: `atc_${name}`,
  type: 'file',
  name,
  mime_type: 'text/plain',
  upload_descriptor: { url: `http://chat.test/upload/atc_${name}?sig=x`, method: 'POST', headers: {} },
});

const make = (
  limits: AttachmentLimits = { maxBytes: 100, accept: ['text/plain', 'image/*'], maxCount: 3 },
  uploadUrl?: string,
) => {
  const { fetch, calls } = fakeFetch((call) =>
    call.type === 'attachments.create'
      ? json(announced((call.body as { params: { name: string } }).params.name))
      : json({}),
  );
  const client = new ChatKit(new Transport({ baseURL: 'http://chat.test', fetch }));
  const host = new FakeHost();
  const controller = new AttachmentsController(host, {
    client: () => client,
    limits: () => limits,
    uploadUrl: () => uploadUrl,
    createXhr: () => new FakeXhr() as unknown as XMLHttpRequest,
  });
  host.connect();
  return { controller, calls };
};

const file = (name: string, size = 10, type = 'text/plain') => new File(['x'.repeat(size)], name, { type });

describe('AttachmentsController', () => {
  it('matches types, patterns and extensions', () => {
    expect(accepts(['image/*'], { name: 'a.png', type: 'image/png' })).toBe(true);
    expect(accepts(['.PDF'], { name: 'a.pdf', type: '' })).toBe(true);
    expect(accepts(['text/plain'], { name: 'a.csv', type: 'text/csv' })).toBe(false);
    expect(accepts([], { name: 'a', type: '' })).toBe(true);
  });

  it('applies a size limit per type: the first pattern a file matches', async () => {
    const limits = { maxBytes: { 'image/*': 50, '.txt': 20 }, accept: ['text/plain', 'image/*'] };
    expect(limitFor(limits.maxBytes, { name: 'a.png', type: 'image/png' })).toBe(50);
    expect(limitFor(limits.maxBytes, { name: 'a.txt', type: 'text/plain' })).toBe(20);
    expect(limitFor(limits.maxBytes, { name: 'a.csv', type: 'text/csv' })).toBe(undefined);
    expect(limitFor(7, { name: 'a.csv', type: 'text/csv' })).toBe(7);
    const { controller } = make(limits);
    controller.add([file('photo.png', 40, 'image/png'), file('notes.txt', 40), file('small.txt', 10)]);
    expect(controller.rejected).toEqual([{ name: 'notes.txt', reason: 'tooLarge', limit: 20 }]);
    expect(controller.uploads.map((u) => u.file.name)).toEqual(['photo.png', 'small.txt']);
  });

  it('uploads directly to the page’s URL in one step when it has one', async () => {
    const { controller, calls } = make(undefined, 'https://site.example/upload');
    controller.add([file('notes.txt')]);
    await settle();
    const xhr = FakeXhr.last!;
    expect([xhr.method, xhr.url]).toEqual(['POST', 'https://site.example/upload']);
    expect((xhr.body as FormData).get('file')).toBeInstanceOf(File);
    xhr.respond(200, { id: 'atc_direct', type: 'file', name: 'notes.txt', mime_type: 'text/plain' });
    await settle();
    expect(calls).toEqual([]);
    expect(controller.finished).toEqual([
      { id: 'atc_direct', type: 'file', name: 'notes.txt', mime_type: 'text/plain' },
    ]);
  });

  it('fails a direct upload whose answer names no attachment', async () => {
    const { controller } = make(undefined, 'https://site.example/upload');
    controller.add([file('notes.txt')]);
    await settle();
    FakeXhr.last!.respond(200, {});
    await settle();
    expect(controller.uploads.map((u) => u.status)).toEqual(['error']);
  });

  it('refuses files over the limits before uploading anything', async () => {
    const { controller, calls } = make();
    controller.add([file('big.txt', 500), file('app.exe', 5, 'application/x-msdownload')]);
    expect(controller.rejected).toEqual([
      { name: 'big.txt', reason: 'tooLarge', limit: 100 },
      { name: 'app.exe', reason: 'badType' },
    ]);
    controller.add([file('1.txt'), file('2.txt'), file('3.txt'), file('4.txt')]);
    expect(controller.rejected).toEqual([{ name: '4.txt', reason: 'tooMany' }]);
    await settle(5);
    expect(calls.filter((c) => c.type === 'attachments.create')).toHaveLength(3);
  });

  it('announces a file, uploads its bytes with progress and hands it to the message', async () => {
    const { controller, calls } = make();
    controller.add([file('notes.txt')]);
    const upload = controller.uploads[0]!;
    await settle(5);
    expect(calls[0]?.body).toMatchObject({
      params: { name: 'notes.txt', size: 10, mime_type: 'text/plain' },
    });
    const xhr = FakeXhr.last!;
    expect(xhr.method).toBe('POST');
    expect(xhr.url).toBe('http://chat.test/upload/atc_notes.txt?sig=x');
    expect((xhr.body as FormData).get('file')).toBeInstanceOf(File);
    expect(xhr.headers).toEqual({});
    xhr.progress(5, 10);
    expect(upload.progress).toBe(0.5);
    expect(controller.settled).toBe(false);
    xhr.respond(200, { id: 'atc_notes.txt', type: 'file', name: 'notes.txt', mime_type: 'text/plain' });
    await settle();
    expect(upload.status).toBe('done');
    expect(controller.settled).toBe(true);
    const taken = controller.take();
    expect(taken).toEqual([
      { id: 'atc_notes.txt', type: 'file', name: 'notes.txt', mime_type: 'text/plain' },
    ]);
    expect(controller.uploads).toEqual([]);
  });

  it('marks a failed upload and deletes a removed one on the server', async () => {
    const { controller, calls } = make();
    controller.add([file('a.txt')]);
    await settle(5);
    FakeXhr.last!.respond(500, {});
    await settle();
    expect(controller.uploads[0]?.status).toBe('error');

    controller.add([file('b.txt')]);
    await settle(5);
    const xhr = FakeXhr.last!;
    const upload = controller.uploads[1]!;
    await controller.remove(upload);
    expect(xhr.aborted).toBe(true);
    expect(controller.uploads.map((u) => u.file.name)).toEqual(['a.txt']);
    expect(calls.at(-1)).toMatchObject({
      type: 'attachments.delete',
      body: { params: { attachment_id: 'atc_b.txt' } },
    });
  });
});
