import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it, onTestFinished } from 'vitest';
import { checkBlobKey, createFileBlobStore } from './blob-store.js';

function blobDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cartrita-blobs-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'blobs');
}

describe('file blob store', () => {
  it('stores bytes and streams them back with their size', async () => {
    const blobs = createFileBlobStore(blobDir());
    expect(await blobs.put('atc_1/cat.txt', new TextEncoder().encode('meow'))).toEqual({ size: 4 });
    expect(await blobs.stat('atc_1/cat.txt')).toEqual({ size: 4 });
    expect(await text((await blobs.get('atc_1/cat.txt'))!)).toBe('meow');
  });

  it('stores Node streams, web streams and async iterables', async () => {
    const blobs = createFileBlobStore(blobDir());
    const chunks = ['a'.repeat(100_000), 'b', 'c'];
    await blobs.put('node', Readable.from(chunks.map((chunk) => Buffer.from(chunk))));
    await blobs.put('web', Readable.toWeb(Readable.from(chunks.map((chunk) => Buffer.from(chunk)))));
    async function* generate() {
      for (const chunk of chunks) yield new TextEncoder().encode(chunk);
    }
    expect(await blobs.put('iterable', generate())).toEqual({ size: 100_002 });
    for (const key of ['node', 'web', 'iterable'])
      expect(await text((await blobs.get(key))!)).toBe(chunks.join(''));
  });

  it('replaces a blob stored under the same key', async () => {
    const blobs = createFileBlobStore(blobDir());
    await blobs.put('k', new TextEncoder().encode('first, longer'));
    await blobs.put('k', new TextEncoder().encode('second'));
    expect(await text((await blobs.get('k'))!)).toBe('second');
  });

  it('answers undefined and false for a blob that does not exist', async () => {
    const blobs = createFileBlobStore(blobDir());
    expect(await blobs.get('missing')).toBeUndefined();
    expect(await blobs.stat('missing')).toBeUndefined();
    expect(await blobs.delete('missing')).toBe(false);
  });

  it('deletes a blob', async () => {
    const blobs = createFileBlobStore(blobDir());
    await blobs.put('k', new Uint8Array([1]));
    expect(await blobs.delete('k')).toBe(true);
    expect(await blobs.get('k')).toBeUndefined();
  });

  it('leaves neither a partial blob nor a temporary file when the source fails midway', async () => {
    const root = blobDir();
    const blobs = createFileBlobStore(root);
    await blobs.put('k', new TextEncoder().encode('original'));
    async function* failing() {
      yield new TextEncoder().encode('half');
      throw new Error('connection reset');
    }
    await expect(blobs.put('k', failing())).rejects.toThrow('connection reset');
    await expect(blobs.put('fresh', failing())).rejects.toThrow('connection reset');
    expect(await text((await blobs.get('k'))!)).toBe('original');
    expect(existsSync(join(root, 'fresh'))).toBe(false);
    expect(readdirSync(join(root, '.tmp'))).toEqual([]);
  });

  it('rejects keys that could escape the blob directory', () => {
    for (const key of ['', '/etc/passwd', '../x', 'a/../../x', 'a//b', '.tmp/x', 'a/./b', 'a\\b', 'a b']) {
      expect(() => checkBlobKey(key), key).toThrow(TypeError);
    }
    expect(checkBlobKey('atc_1/cat.v2.png')).toBe('atc_1/cat.v2.png');
  });
});
