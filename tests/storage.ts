/**
 * @module Storage fixtures for tests: open the reference server's storage on a fresh database of one
 * engine, closed again when the test finishes.
 */
import { onTestFinished } from 'vitest';
import { openStorage, type Storage } from '../reference-server/src/storage/index.js';
import type { TestEngine } from './engines.js';

/**
 * Opens (and migrates) storage on a fresh database of `engine` for the calling test; it is closed and
 * removed when the test finishes.
 */
export async function openTestStorage(engine: TestEngine): Promise<Storage> {
  const { url, dataDir } = await engine.createDatabase();
  const storage = await openStorage({ url, dataDir });
  onTestFinished(() => storage.close());
  return storage;
}
