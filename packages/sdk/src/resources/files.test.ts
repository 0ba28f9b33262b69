import { createStore } from '@cartrita/msw';
import { setupCartritaServer } from '@cartrita/msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CartritaClient } from '../client.js';
import { isAPIError } from '../core/errors.js';
import type { FileStatusResult, FileUploadProgress } from './files.js';

const baseURL = 'http://files.test';
const apiKey = 'test-key-files-0123456789';
const store = createStore({ baseURL, apiKeys: [apiKey], maxUploadBytes: 1024 });
const mock = setupCartritaServer({ store });

beforeAll(() => mock.listen({ onUnhandledFrame: 'error' }));
afterEach(() => mock.reset());
afterAll(() => mock.close());

const client = () =>
  new CartritaClient({ baseURL, apiKey, defaultHeaders: { 'x-cartrita-user': 'usr_sdk' } });

describe('client.files', () => {
  it('uploads a file, reports the upload, waits for its processing, lists and deletes it', async () => {
    const files = client().files;
    const progress: FileUploadProgress[] = [];
    const uploaded = await files.upload(new File(['# Notes\n\nThe harbour opens at dawn.'], 'notes.md'), {
      onProgress: (event) => progress.push(event),
    });
    expect(uploaded).toMatchObject({
      filename: 'notes.md',
      content_type: 'text/markdown',
      size: 35,
      status: 'pending',
    });
    // The whole multipart request is counted: the file and the form around it.
    const total = progress[0]?.total ?? 0;
    expect(total).toBeGreaterThan(35);
    expect(progress[0]).toEqual({ loaded: 0, total });
    expect(progress.at(-1)).toEqual({ loaded: total, total });
    const seen: FileStatusResult[] = [];
    const done = await files.waitUntilProcessed(uploaded.file_id, {
      intervalMs: 5,
      onProgress: (status) => seen.push(status),
    });
    expect(done).toEqual({
      file_id: uploaded.file_id,
      filename: 'notes.md',
      status: 'completed',
      progress: 100,
      chunks_created: 1,
      error: null,
    });
    expect(seen.at(-1)).toEqual(done);
    const list = await files.list();
    expect(list.files.map((file) => [file.file_id, file.status])).toEqual([[uploaded.file_id, 'completed']]);
    expect(await files.delete(uploaded.file_id)).toEqual({ file_id: uploaded.file_id, deleted: true });
    expect(await files.list()).toEqual({ files: [], total: 0 });
  });

  it('sends a conversation through /api/upload, and reports refusals as API errors', async () => {
    const files = client().files;
    const uploaded = await files.upload(new Blob(['a,b\n1,2\n']), {
      filename: 'table.csv',
      conversationId: 'thr_1',
    });
    expect((await files.list()).files[0]).toMatchObject({
      file_id: uploaded.file_id,
      content_type: 'text/csv',
      conversation_id: 'thr_1',
    });
    const refusal = await files
      .upload(new Blob([new Uint8Array(2048).fill(97)]), { filename: 'big.txt' })
      .catch((e) => e);
    expect(isAPIError(refusal) && [refusal.status, refusal.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  });

  it('resolves a failed file with its reason: the mocks extract no PDF text', async () => {
    const files = client().files;
    const pdf = '%PDF-1.4\n1 0 obj\n<< >>\nendobj\ntrailer\n<< >>\n%%EOF\n';
    const { file_id } = await files.upload(new File([pdf], 'report.pdf'));
    expect(await files.waitUntilProcessed(file_id, { intervalMs: 5 })).toMatchObject({
      status: 'failed',
      error: 'No text extractor for application/pdf is configured here.',
    });
  });
});
