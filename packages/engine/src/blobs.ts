/** @module The blob store port: where uploaded bytes live, by key, whole or not at all. */

/** Bytes to store: a buffer, a web stream, or any async iterable of chunks (a Node stream is one). */
export type BlobSource = Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/**
 * Where uploaded bytes live. Keys are relative paths of `[A-Za-z0-9._-]` segments joined by `/`
 * (`atc_3f9c0a1b/cat.png`); a key is written once and either appears whole or not at all.
 */
export interface BlobStore {
  /** Stores the bytes under `key`, replacing any blob there, and returns how many were written. */
  put(key: string, source: BlobSource): Promise<{ size: number }>;
  /** The blob's bytes, or `undefined` when there is none. */
  get(key: string): Promise<AsyncIterable<Uint8Array> | undefined>;
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

/** The chunks of any {@link BlobSource}. */
export async function* chunksOf(source: BlobSource): AsyncGenerator<Uint8Array> {
  if (source instanceof Uint8Array) {
    yield source;
    return;
  }
  if (Symbol.asyncIterator in source) {
    yield* source as AsyncIterable<Uint8Array>;
    return;
  }
  const reader = (source as ReadableStream<Uint8Array>).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * Blobs in memory: for the mocks and tests. A put that fails halfway (its source throws) leaves
 * nothing under the key, as the file store does.
 */
export const createMemoryBlobStore = (): BlobStore & { clear(): void } => {
  const blobs = new Map<string, Uint8Array>();
  return {
    async put(key, source) {
      checkBlobKey(key);
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of chunksOf(source)) {
        chunks.push(chunk.slice());
        size += chunk.length;
      }
      const bytes = new Uint8Array(size);
      let offset = 0;
      for (const chunk of chunks) {
        bytes.set(chunk, offset);
        offset += chunk.length;
      }
      blobs.set(key, bytes);
      return { size };
    },
    async get(key) {
      const bytes = blobs.get(checkBlobKey(key));
      if (!bytes) return undefined;
      return (async function* () {
        yield bytes.slice();
      })();
    },
    async stat(key) {
      const bytes = blobs.get(checkBlobKey(key));
      return bytes && { size: bytes.length };
    },
    async delete(key) {
      return blobs.delete(checkBlobKey(key));
    },
    clear: () => blobs.clear(),
  };
};
