/**
 * The mocks' default extractors: in Node the server's parsers read every accepted type, so a file ends
 * as it would on the server; the browser's reads PDFs and says which types it does not read.
 */
import { readFile } from 'node:fs/promises';
import { ChatKitSession, FileProcessingStatus, FileUploadResponse } from '@cartrita/contracts';
import { ExtractionError } from '@cartrita/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hugePng, manyPagesPdf } from '../../../tests/files/hostile.js';
import { browserFileExtractor } from './browser.js';
import { setupCartritaServer } from './node.js';

const fixture = async (name: string) =>
  new Uint8Array(await readFile(new URL(`../../../tests/fixtures/files/${name}`, import.meta.url)));

const origin = 'http://extract.test';
const server = setupCartritaServer({ baseURL: origin });
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

/** Uploads files as one new user and waits until each has been processed. */
const processed = async (files: { name: string; bytes: Uint8Array }[]) => {
  const session = ChatKitSession.parse(
    await (await fetch(`${origin}/api/chatkit/session`, { method: 'POST' })).json(),
  );
  const headers = { authorization: `Bearer ${session.client_secret}` };
  const statuses: FileProcessingStatus[] = [];
  for (const file of files) {
    const form = new FormData();
    form.set('file', new Blob([file.bytes as Uint8Array<ArrayBuffer>]), file.name);
    const response = await fetch(`${origin}/files/upload`, { method: 'POST', headers, body: form });
    const { file_id } = FileUploadResponse.parse(await response.json());
    for (;;) {
      const status = FileProcessingStatus.parse(
        await (await fetch(`${origin}/files/status/${file_id}`, { headers })).json(),
      );
      if (status.status === 'completed' || status.status === 'failed') {
        statuses.push(status);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  const verified = await server.store.engine.chatkitSessions.verify(session.client_secret);
  if (!verified.ok) throw new Error('The mock refused its own client secret');
  const search = async (query: string) =>
    (await server.store.engine.files.search(verified.payload.userId, query, { limit: 1 })).map(
      (hit) => hit.filename,
    );
  return { statuses, search };
};

describe('@cartrita/msw/node', () => {
  it('reads a pptx, an odt and a JPEG by OCR with the server’s parsers, with no extractor passed', async () => {
    const { statuses, search } = await processed([
      { name: 'deck.pptx', bytes: await fixture('sample.pptx') },
      { name: 'letter.odt', bytes: await fixture('sample.odt') },
      { name: 'scan.jpg', bytes: await fixture('sample.jpg') },
    ]);
    expect(statuses.map((status) => [status.status, status.progress])).toEqual([
      ['completed', 100],
      ['completed', 100],
      ['completed', 100],
    ]);
    expect(await search('tortoise Ignatius')).toEqual(['deck.pptx']);
    expect(await search('quokka Wilbur')).toEqual(['letter.odt']);
    expect(await search('penguin Bertrand')).toEqual(['scan.jpg']);
  });

  it('fails a 600-page PDF and a 50,000 × 50,000 image with the server’s reasons', async () => {
    const { statuses } = await processed([
      { name: 'long.pdf', bytes: manyPagesPdf(600) },
      { name: 'huge.png', bytes: hugePng(50_000, 50_000) },
    ]);
    expect(statuses.map((status) => status.status)).toEqual(['failed', 'failed']);
    expect(statuses[0]?.error).toBe('The PDF has 600 pages; the limit is 500.');
    expect(statuses[1]?.error).toBe(
      'The image is 50000×50000 pixels; the limit is 10000 pixels a side and 40000000 pixels in all.',
    );
  });
});

describe('@cartrita/msw/browser’s extractor', () => {
  const extract = async (name: string, contentType: string) =>
    browserFileExtractor().extract({
      bytes: await fixture(name),
      content_type: contentType as never,
      filename: name,
      signal: new AbortController().signal,
    });

  it('reads a PDF with unpdf', async () => {
    expect((await extract('sample.pdf', 'application/pdf')).replace(/\s+/g, ' ')).toContain(
      'otter named Florentine',
    );
  });

  it.each([
    ['sample.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['sample.html', 'text/html'],
    ['sample.png', 'image/png'],
  ])('refuses %s with an ExtractionError that says why', async (name, type) => {
    const failure = await extract(name, type).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ExtractionError);
    expect((failure as Error).message).toBe(
      `Text is not extracted from ${type} here. The browser mocks read PDF and text formats only; ` +
        'Office, OpenDocument, HTML and images are read by the server and by @cartrita/msw/node.',
    );
  });
});
