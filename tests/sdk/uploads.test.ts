import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CartritaClient, toFile, type UploadProgress } from '@cartrita/sdk';
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import { startTestServer, type TestServer } from '../../reference-server/src/testing.js';

// Uploads from whatever a caller has, against the real server, with progress.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const client = async () => {
  const anonymous = new CartritaClient({ baseURL: server.url });
  const { client_secret } = await anonymous.chatkit.createSession();
  return new CartritaClient({ baseURL: server.url, clientSecret: client_secret });
};

const text = 'Notes for the trip.\n';

it('uploads a Buffer, bytes, a stream, an async iterable and a Response as the same file', async () => {
  const sdk = await client();
  const bytes = new TextEncoder().encode(text);
  const sources = [
    Buffer.from(text),
    bytes,
    new Blob([text]).stream(),
    (async function* () {
      yield bytes.slice(0, 5);
      yield bytes.slice(5);
    })(),
    new Response(text, { headers: { 'content-type': 'text/plain' } }),
  ];
  const uploaded = [];
  for (const source of sources) {
    const attachment = await sdk.chatkit.attachments.upload(source, 'notes.txt');
    uploaded.push([attachment.name, attachment.mime_type]);
    const stored = await sdk.chatkit.attachments.preview(attachment as never).catch(() => undefined);
    void stored;
  }
  expect(uploaded).toEqual(Array.from({ length: 5 }, () => ['notes.txt', 'text/plain']));
});

it('reads a file from a path with toFile(), and reports upload progress to the last byte', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cartrita-upload-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'big-notes.txt');
  await writeFile(path, text.repeat(20_000));
  const file = await toFile(path);
  expect([file.name, file.size]).toEqual(['big-notes.txt', text.length * 20_000]);
  const sdk = await client();
  const progress: UploadProgress[] = [];
  const attachment = await sdk.chatkit.attachments.upload(file, undefined, {
    onUploadProgress: (event) => progress.push(event),
  });
  expect(attachment.name).toBe('big-notes.txt');
  const total = progress[0]?.total ?? 0;
  expect(total).toBeGreaterThan(file.size);
  expect(progress[0]?.loaded).toBe(0);
  expect(progress.at(-1)).toEqual({ loaded: total, total });
  expect(
    progress.every(
      (event, index) => index === 0 || event.loaded >= (progress[index - 1] as UploadProgress).loaded,
    ),
  ).toBe(true);
});

it('client.files.upload takes a Buffer and reports progress chunk by chunk, not only start and end', async () => {
  const sdk = await client();
  const content = Buffer.from(text.repeat(40_000));
  const progress: UploadProgress[] = [];
  const uploaded = await sdk.files.upload(content, {
    filename: 'long-notes.txt',
    onProgress: (event) => progress.push(event),
  });
  expect([uploaded.filename, uploaded.size]).toEqual(['long-notes.txt', content.byteLength]);
  const total = progress[0]?.total ?? 0;
  expect(total).toBeGreaterThan(content.byteLength);
  expect(progress[0]).toEqual({ loaded: 0, total });
  expect(progress.at(-1)).toEqual({ loaded: total, total });
  const between = progress.filter((event) => event.loaded > 0 && event.loaded < total);
  expect(between.length).toBeGreaterThanOrEqual(3);
  const loaded = progress.map((event) => event.loaded);
  expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
});

it('refuses what is not a file with a TypeError naming what it takes', async () => {
  await expect(toFile(42 as never)).rejects.toThrow('toFile: expected a Blob');
});
