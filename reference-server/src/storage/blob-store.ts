import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type BlobStore, checkBlobKey, chunksOf } from '@cartrita/engine';

export { type BlobSource, type BlobStore, checkBlobKey } from '@cartrita/engine';

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
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
        for await (const chunk of chunksOf(source)) {
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
