import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';

/** Bytes to store: a buffer, a Node stream, a web stream, or any async iterable of chunks. */
export type BlobSource = Uint8Array | Readable | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/**
 * Where uploaded bytes live. Keys are relative paths of `[A-Za-z0-9._-]` segments joined by `/`
 * (`atc_3f9c0a1b/cat.png`); a key is written once and either appears whole or not at all.
 */
export interface BlobStore {
  /** Stores the bytes under `key`, replacing any blob there, and returns how many were written. */
  put(key: string, source: BlobSource): Promise<{ size: number }>;
  /** A stream of the blob's bytes, or `undefined` when there is none. */
  get(key: string): Promise<Readable | undefined>;
  /** The blob's size in bytes, or `undefined` when there is none. */
  stat(key: string): Promise<{ size: number } | undefined>;
  /** Deletes the blob; returns whether it existed. */
  delete(key: string): Promise<boolean>;
}

const segment = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/**
 * Checks a blob key and returns it.
 *
 * @throws {TypeError} when the key is empty, absolute, or has an empty, `.`/`..`-led or foreign segment.
 */
export function checkBlobKey(key: string): string {
  const segments = key.split('/');
  if (key.length === 0 || key.length > 512 || !segments.every((part) => segment.test(part))) {
    throw new TypeError(`Invalid blob key: ${JSON.stringify(key)}`);
  }
  return key;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

function toIterable(source: BlobSource): AsyncIterable<Uint8Array> | Iterable<Uint8Array> {
  if (source instanceof Uint8Array) return [source];
  if (Symbol.asyncIterator in source) return source as AsyncIterable<Uint8Array>;
  return Readable.fromWeb(source as ReadableStream<Uint8Array>);
}

/**
 * Stores blobs as files under `root` (the server uses `<dataDir>/blobs`). Each write goes to a temporary
 * file under `root/.tmp`, is flushed to disk, and is then renamed into place, so a server killed halfway
 * never leaves a partial blob under its final name (at most a stray temporary file).
 */
export function createFileBlobStore(root: string): BlobStore {
  const tmpDir = join(root, '.tmp');
  const pathOf = (key: string) => join(root, checkBlobKey(key));

  return {
    async put(key, source) {
      const path = pathOf(key);
      await mkdir(tmpDir, { recursive: true });
      await mkdir(dirname(path), { recursive: true });
      const tmpPath = join(tmpDir, `${randomBytes(8).toString('hex')}.part`);
      const file = await open(tmpPath, 'wx');
      let size = 0;
      try {
        for await (const chunk of toIterable(source)) {
          const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
          for (let offset = 0; offset < bytes.byteLength; ) {
            offset += (await file.write(bytes, offset)).bytesWritten;
          }
          size += bytes.byteLength;
        }
        await file.sync();
        await file.close();
        await rename(tmpPath, path);
      } catch (error) {
        await file.close().catch(() => {});
        await rm(tmpPath, { force: true });
        throw error;
      }
      return { size };
    },

    async get(key) {
      try {
        const file = await open(pathOf(key), 'r');
        if (!(await file.stat()).isFile()) {
          await file.close();
          return undefined;
        }
        return file.createReadStream();
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },

    async stat(key) {
      try {
        const info = await stat(pathOf(key));
        return info.isFile() ? { size: info.size } : undefined;
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },

    async delete(key) {
      try {
        await rm(pathOf(key));
        return true;
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },
  };
}
