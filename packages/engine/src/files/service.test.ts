import type { FileProcessingUpdate } from '@cartrita/contracts';
import { describe, expect, it } from 'vitest';
import { createMemoryBlobStore } from '../blobs.js';
import { systemClock } from '../clock.js';
import { isHttpError } from '../errors.js';
import { createInProcessEventBus } from '../events.js';
import { silentLogger } from '../logger.js';
import { chunking, chunkText } from './chunker.js';
import { ExtractionError, plainTextOnly, type TextExtractor, withPlainText } from './extractor.js';
import { createMemoryFileAreaRepositories } from './memory.js';
import { FileProcessingQueue, type FileQueueOptions } from './processing-queue.js';
import { FileService } from './service.js';

const encode = (text: string) => new TextEncoder().encode(text);
const incoming = (name: string, bytes: Uint8Array) => ({
  name,
  mimeType: 'application/octet-stream',
  bytes: (async function* () {
    yield bytes;
  })(),
});
const pdfBytes = encode('%PDF-1.4\n1 0 obj\n<< >>\nendobj\ntrailer\n<< >>\n%%EOF\n');

/** A files service over memory; `repositories` and `blobs` may come from a previous one (a restart). */
const setup = (
  extractor: TextExtractor = plainTextOnly,
  options: Partial<FileQueueOptions> = {},
  shared = { repositories: createMemoryFileAreaRepositories(), blobs: createMemoryBlobStore() },
) => {
  const bus = createInProcessEventBus();
  const queue = new FileProcessingQueue(
    { ...shared, extractor, bus, clock: systemClock, logger: silentLogger },
    options,
  );
  const service = new FileService({ ...shared, queue, clock: systemClock, limits: { maxBytes: 1000 } });
  return { ...shared, bus, queue, service };
};

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  return isHttpError(error) ? [error.status, error.code] : error;
};

describe('the files service', () => {
  it('processes a text file to chunks, publishing each step with progress that only grows', async () => {
    const { service, queue, bus } = setup();
    const updates: FileProcessingUpdate[] = [];
    await bus.subscribe<FileProcessingUpdate>('files:usr_a', (message) => updates.push(message.data));
    const answer = await service.upload(
      incoming('notes.md', encode('# Notes\n\nThe quarterly figures.')),
      'usr_a',
    );
    expect(answer).toEqual({
      file_id: answer.file_id,
      filename: 'notes.md',
      content_type: 'text/markdown',
      size: 31,
      status: 'pending',
      message: 'The file was uploaded; its processing is queued.',
    });
    expect(answer.file_id).toMatch(/^file_[0-9a-f]{16}$/);
    await queue.idle();
    expect(await service.status(answer.file_id, 'usr_a')).toEqual({
      file_id: answer.file_id,
      filename: 'notes.md',
      status: 'completed',
      progress: 100,
      chunks_created: 1,
      error: null,
    });
    expect(updates.map((update) => [update.type, update.status, update.progress])).toEqual([
      ['file_processing_update', 'processing', 5],
      ['file_processing_update', 'processing', 10],
      ['file_processing_update', 'processing', 70],
      ['file_processing_update', 'processing', 85],
      ['file_processing_update', 'completed', 100],
    ]);
    expect(updates.at(-1)).toEqual({
      type: 'file_processing_update',
      file_id: answer.file_id,
      filename: 'notes.md',
      status: 'completed',
      progress: 100,
      chunks_created: 1,
      error: null,
    });
    expect((await service.search('usr_a', 'quarterly')).map((hit) => [hit.filename, hit.text])).toEqual([
      ['notes.md', '# Notes The quarterly figures.'],
    ]);
    expect(await service.search('usr_b', 'quarterly')).toEqual([]);
  });

  it('refuses unknown bytes with 415 and large files with 413, storing nothing', async () => {
    const { service, repositories, blobs } = setup();
    expect(
      await refusal(service.upload(incoming('x.exe', new Uint8Array([0x4d, 0x5a, 0, 0, 0xff])), 'usr_a')),
    ).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    expect(await refusal(service.upload(incoming('big.txt', encode('a'.repeat(1001))), 'usr_a'))).toEqual([
      413,
      'PAYLOAD_TOO_LARGE',
    ]);
    expect(await refusal(service.upload(incoming('empty.txt', new Uint8Array()), 'usr_a'))).toEqual([
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ]);
    expect(await repositories.files.list('usr_a')).toEqual([]);
    expect(await blobs.stat('files')).toBeUndefined();
  });

  it('ends a file failed with the extractor’s reason, keeping its progress', async () => {
    const failing = withPlainText({
      async extract() {
        throw new ExtractionError('The PDF has 900 pages; the limit is 500.');
      },
    });
    const { service, queue } = setup(failing);
    const { file_id } = await service.upload(incoming('report.pdf', pdfBytes), 'usr_a');
    await queue.idle();
    expect(await service.status(file_id, 'usr_a')).toMatchObject({
      status: 'failed',
      progress: 10,
      chunks_created: 0,
      error: 'The PDF has 900 pages; the limit is 500.',
    });
  });

  it('fails a file whose type has no extractor, saying so', async () => {
    const { service, queue } = setup();
    const { file_id } = await service.upload(incoming('report.pdf', pdfBytes), 'usr_a');
    await queue.idle();
    expect(await service.status(file_id, 'usr_a')).toMatchObject({
      status: 'failed',
      error: 'No text extractor for application/pdf is configured here.',
    });
  });

  it('fails an extraction that runs past the time limit', async () => {
    const stuck: TextExtractor = { extract: () => new Promise<string>(() => {}) };
    const { service, queue } = setup(withPlainText(stuck), { extractionTimeoutMs: 20 });
    const { file_id } = await service.upload(incoming('report.pdf', pdfBytes), 'usr_a');
    await queue.idle();
    expect(await service.status(file_id, 'usr_a')).toMatchObject({
      status: 'failed',
      error: 'Extracting the text took longer than the limit of 0.02 s.',
    });
  });

  it('processes after a restart the files a stopped queue left unfinished', async () => {
    let release: (text: string) => void = () => {};
    const held: TextExtractor = {
      extract: (input) =>
        new Promise<string>((resolve, reject) => {
          release = resolve;
          input.signal.addEventListener('abort', () => reject(new Error('stopped')));
        }),
    };
    const first = setup(withPlainText(held));
    const one = await first.service.upload(incoming('a.pdf', pdfBytes), 'usr_a');
    const two = await first.service.upload(incoming('b.txt', encode('second file')), 'usr_a');
    // The first file is in the extractor, the second waits behind it; then the server stops.
    while ((await first.service.status(one.file_id, 'usr_a')).progress < 10)
      await new Promise((r) => setTimeout(r, 1));
    await first.queue.stop();
    expect((await first.service.list('usr_a')).files.map((file) => [file.filename, file.status])).toEqual([
      ['b.txt', 'pending'],
      ['a.pdf', 'processing'],
    ]);
    release('too late');

    const reader = withPlainText({ extract: async () => 'the first file, read after the restart' });
    const second = setup(reader, {}, { repositories: first.repositories, blobs: first.blobs });
    expect(await second.queue.recover()).toBe(2);
    await second.queue.idle();
    expect(
      (await second.service.list('usr_a')).files.map((file) => [file.filename, file.status, file.progress]),
    ).toEqual([
      ['b.txt', 'completed', 100],
      ['a.pdf', 'completed', 100],
    ]);
    expect((await second.service.search('usr_a', 'restart')).map((hit) => hit.file_id)).toEqual([
      one.file_id,
    ]);
    expect(two.file_id).not.toBe(one.file_id);
  });

  it('deletes a file in the middle of its processing, leaving nothing of it', async () => {
    const held: TextExtractor = {
      extract: (input) =>
        new Promise<string>((_, reject) =>
          input.signal.addEventListener('abort', () => reject(new Error('stopped'))),
        ),
    };
    const { service, queue, repositories, blobs } = setup(withPlainText(held));
    const { file_id } = await service.upload(incoming('a.pdf', pdfBytes), 'usr_a');
    expect(await refusal(service.delete(file_id, 'usr_b'))).toEqual([404, 'NOT_FOUND']);
    expect(await service.delete(file_id, 'usr_a')).toEqual({ file_id, deleted: true });
    await queue.idle();
    expect(await repositories.files.get(file_id)).toBeUndefined();
    expect(await blobs.stat(`files/${file_id}`)).toBeUndefined();
    expect(await refusal(service.status(file_id, 'usr_a'))).toEqual([404, 'NOT_FOUND']);
  });
});

describe('the chunker', () => {
  it('cuts long text into overlapping chunks of at most the chunk size, at spaces', () => {
    const words = Array.from({ length: 600 }, (_, i) => `word${i}`).join(' ');
    const chunks = chunkText(words);
    expect(chunks.every((chunk) => chunk.length <= chunking.size)).toBe(true);
    expect(chunks.length).toBe(6);
    for (let i = 1; i < chunks.length; i++) {
      const previous = chunks[i - 1] as string;
      const firstWord = (chunks[i] as string).split(' ')[1] as string;
      expect(previous).toContain(firstWord);
    }
    expect(chunks.join(' ')).toContain('word599');
    expect(chunkText(' \n\t ')).toEqual([]);
    expect(chunkText('short text')).toEqual(['short text']);
  });
});

describe('progress during extraction', () => {
  it('stores the extractor’s progress in order, and none of it after the file moved on', async () => {
    const { service, queue, bus } = setup(
      withPlainText({
        async extract(input) {
          for (const fraction of [0.25, 0.5, 0.5, 0.2, 1]) input.onProgress?.(fraction);
          // Progress told after the text is given back is too late to count.
          queueMicrotask(() => input.onProgress?.(0.9));
          return 'scanned words';
        },
      }),
    );
    const progress: number[] = [];
    await bus.subscribe<FileProcessingUpdate>('files:usr_a', (message) =>
      progress.push(message.data.progress),
    );
    const { file_id } = await service.upload(incoming('scan.pdf', pdfBytes), 'usr_a');
    await queue.idle();
    expect(progress).toEqual([5, 10, 24, 39, 69, 70, 85, 100]);
    expect((await service.status(file_id, 'usr_a')).status).toBe('completed');
  });
});
