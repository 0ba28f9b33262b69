/**
 * The files area on a real server (real HTTP, SQLite, the worker-thread extractor with unpdf,
 * officeparser and tesseract.js): every accepted type is processed to searchable chunks, refused
 * uploads leave nothing, and hostile files end `failed` with their reason while the server goes on.
 * Needs the build (the extractor's worker runs the built JavaScript).
 */
import { readFile } from 'node:fs/promises';
import {
  ChatResponse,
  ErrorEnvelope,
  FileList,
  FileProcessingStatus,
  FileUploadResponse,
} from '@cartrita/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../reference-server/src/testing.js';
import { hugePng, manyPagesPdf, zipBombDocx } from './hostile.js';

let server: TestServer;
const maxBytes = 2 * 1024 * 1024;
beforeAll(async () => {
  server = await startTestServer({ env: { UPLOAD_MAX_BYTES: String(maxBytes) } });
});
afterAll(() => server.close());

const user = (name: string) => ({ 'x-api-key': server.apiKey, 'x-cartrita-user': name });

const fixture = async (name: string) =>
  new Uint8Array(await readFile(new URL(`../fixtures/files/${name}`, import.meta.url)));

const upload = async (
  who: string,
  bytes: Uint8Array,
  filename: string,
  options: { path?: string; declared?: string; conversationId?: string } = {},
) => {
  const form = new FormData();
  if (options.conversationId) form.set('conversation_id', options.conversationId);
  form.set(
    'file',
    new Blob([bytes as Uint8Array<ArrayBuffer>], { type: options.declared ?? 'application/octet-stream' }),
    filename,
  );
  const response = await fetch(`${server.url}${options.path ?? '/files/upload'}`, {
    method: 'POST',
    headers: user(who),
    body: form,
  });
  return { status: response.status, body: (await response.json()) as unknown };
};

const statusOf = async (who: string, fileId: string) => {
  const response = await fetch(`${server.url}/files/status/${fileId}`, { headers: user(who) });
  expect(response.status).toBe(200);
  return FileProcessingStatus.parse(await response.json());
};

/** Reads a file's status until it is done, checking that progress never goes back. */
const processed = async (who: string, fileId: string) => {
  let last = 0;
  for (;;) {
    const status = await statusOf(who, fileId);
    expect(status.progress).toBeGreaterThanOrEqual(last);
    last = status.progress;
    if (status.status === 'completed' || status.status === 'failed') return status;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

const listOf = async (who: string) => {
  const response = await fetch(`${server.url}/files/list`, { headers: user(who) });
  return FileList.parse(await response.json());
};

const accepted = [
  ['sample.pdf', 'application/pdf'],
  ['sample.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  ['sample.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ['sample.pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
  ['sample.odt', 'application/vnd.oasis.opendocument.text'],
  ['sample.ods', 'application/vnd.oasis.opendocument.spreadsheet'],
  ['sample.odp', 'application/vnd.oasis.opendocument.presentation'],
  ['sample.html', 'text/html'],
  ['sample.txt', 'text/plain'],
  ['sample.md', 'text/markdown'],
  ['sample.csv', 'text/csv'],
  ['sample.json', 'application/json'],
  ['sample.png', 'image/png'],
  ['sample.jpg', 'image/jpeg'],
  ['sample.webp', 'image/webp'],
] as const;

describe('files on the reference server', () => {
  it('processes a file of every accepted type to chunks, by the type in its bytes', async () => {
    const who = 'usr_every_type';
    const ids: string[] = [];
    for (const [name, type] of accepted) {
      // Declared as something else: only the bytes count.
      const { status, body } = await upload(who, await fixture(name), name, { declared: 'image/gif' });
      expect(status).toBe(200);
      const answer = FileUploadResponse.parse(body);
      expect(answer).toMatchObject({ filename: name, content_type: type, status: 'pending' });
      ids.push(answer.file_id);
    }
    for (const [index, id] of ids.entries()) {
      const done = await processed(who, id);
      expect([accepted[index]?.[0], done.status, done.progress, done.chunks_created, done.error]).toEqual([
        accepted[index]?.[0],
        'completed',
        100,
        1,
        null,
      ]);
    }
    const list = await listOf(who);
    expect(list.total).toBe(accepted.length);
    expect(list.files.map((file) => file.filename)).toEqual(accepted.map(([name]) => name).reverse());
    expect(await listOf('usr_someone_else')).toEqual({ files: [], total: 0 });
  });

  it('answers a chat from the text of a processed PDF, naming it as the source', async () => {
    const who = 'usr_pdf_chat';
    const { body } = await upload(who, await fixture('sample.pdf'), 'otters.pdf');
    const { file_id } = FileUploadResponse.parse(body);
    expect((await processed(who, file_id)).status).toBe('completed');
    const response = await fetch(`${server.url}/api/chat`, {
      method: 'POST',
      headers: { ...user(who), 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'What is the otter called?', file_ids: [file_id] }),
    });
    const reply = ChatResponse.parse(await response.json());
    expect(reply.response).toBe('From **otters.pdf**: The PDF fixture mentions an otter named Florentine.');
    expect(reply.sources?.map(({ score: _score, ...source }) => source)).toEqual([
      { file_id, filename: 'otters.pdf', chunk: 'The PDF fixture mentions an otter named Florentine.' },
    ]);
    // Another user naming the file gets an ordinary reply.
    const theirs = await fetch(`${server.url}/api/chat`, {
      method: 'POST',
      headers: { ...user('usr_other_chat'), 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'What is the otter called?', file_ids: [file_id] }),
    });
    expect(ChatResponse.parse(await theirs.json()).sources).toBeUndefined();
  });

  it('keeps the conversation of a seed 000 upload', async () => {
    const { status, body } = await upload('usr_api', await fixture('sample.txt'), 'notes.txt', {
      path: '/api/upload',
      conversationId: 'thr_1234abcd',
    });
    expect(status).toBe(200);
    const { file_id } = FileUploadResponse.parse(body);
    expect((await listOf('usr_api')).files.map((file) => [file.file_id, file.conversation_id])).toEqual([
      [file_id, 'thr_1234abcd'],
    ]);
  });

  it('refuses other types with 415 and large files with 413, keeping nothing', async () => {
    const who = 'usr_refused';
    const gif = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0, 0, 0, 0, 0x3b]);
    const elf = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    for (const [bytes, name] of [
      [gif, 'picture.gif'],
      [elf, 'notes.txt'],
      [new Uint8Array([0, 1, 2, 3, 255, 254]), 'data.bin'],
    ] as const) {
      const { status, body } = await upload(who, bytes, name, { declared: 'text/plain' });
      expect(status).toBe(415);
      expect(ErrorEnvelope.parse(body).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
    const large = new Uint8Array(maxBytes + 1).fill(0x61);
    const { status, body } = await upload(who, large, 'large.txt');
    expect(status).toBe(413);
    expect(ErrorEnvelope.parse(body).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await listOf(who)).toEqual({ files: [], total: 0 });
  });

  it('ends hostile files failed with their reason, and goes on serving', async () => {
    const who = 'usr_hostile';
    const cases = [
      [zipBombDocx(300), 'bomb.docx', /could not be read/],
      [manyPagesPdf(600), 'pages.pdf', /The PDF has 600 pages; the limit is 500\./],
      [hugePng(50_000, 50_000), 'huge.png', /The image is 50000×50000 pixels/],
    ] as const;
    const ids: string[] = [];
    for (const [bytes, name] of cases) {
      const { status, body } = await upload(who, bytes, name);
      expect(status).toBe(200);
      ids.push(FileUploadResponse.parse(body).file_id);
    }
    for (const [index, id] of ids.entries()) {
      const done = await processed(who, id);
      expect(done.status).toBe('failed');
      expect(done.chunks_created).toBe(0);
      expect(done.error).toMatch(cases[index]?.[2] as RegExp);
    }
    const after = FileUploadResponse.parse((await upload(who, await fixture('sample.md'), 'after.md')).body);
    expect((await processed(who, after.file_id)).status).toBe('completed');
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  it('deletes a file, and another user cannot', async () => {
    const { body } = await upload('usr_owner', await fixture('sample.txt'), 'mine.txt');
    const { file_id } = FileUploadResponse.parse(body);
    await processed('usr_owner', file_id);
    const theirs = await fetch(`${server.url}/files/${file_id}`, {
      method: 'DELETE',
      headers: user('usr_other'),
    });
    expect(theirs.status).toBe(404);
    const mine = await fetch(`${server.url}/files/${file_id}`, {
      method: 'DELETE',
      headers: user('usr_owner'),
    });
    expect(await mine.json()).toEqual({ file_id, deleted: true });
    const gone = await fetch(`${server.url}/files/status/${file_id}`, { headers: user('usr_owner') });
    expect(gone.status).toBe(404);
    expect(ErrorEnvelope.parse(await gone.json()).error.code).toBe('NOT_FOUND');
  });
});
