import { join } from 'node:path';
import { type BlobStore, createFileBlobStore } from './blob-store.js';
import { type OpenDatabaseOptions, type OpenedDatabase, openDatabase } from './open-database.js';
import { createStore, type Store } from './store.js';

/** Options for {@link openStorage}: those of `openDatabase`, plus where blobs go. */
export interface OpenStorageOptions extends OpenDatabaseOptions {
  /** @default `<dataDir>/blobs` */
  blobDir?: string;
}

/** Everything the server stores: the database, its repositories and the blob store. */
export interface Storage extends OpenedDatabase {
  readonly store: Store;
  readonly blobs: BlobStore;
}

/**
 * Opens the database (migrating it) and the blob directory: what a server needs at startup. `close()`
 * ends the PostgreSQL pool or closes the SQLite file; call it on shutdown.
 *
 * @example
 * ```ts
 * const storage = await openStorage({ url: process.env.DATABASE_URL, dataDir: '.data' });
 * process.once('SIGTERM', () => void storage.close());
 * const thread = await storage.store.threads.create({ user_id: 'usr_1' });
 * ```
 */
export async function openStorage(options: OpenStorageOptions): Promise<Storage> {
  const database = await openDatabase(options);
  return {
    ...database,
    store: createStore(database.db),
    blobs: createFileBlobStore(options.blobDir ?? join(options.dataDir, 'blobs')),
  };
}
