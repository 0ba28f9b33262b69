/** @module Storage of the reference server: one Kysely query layer over SQLite (default) or PostgreSQL. */

export type { BlobSource, BlobStore } from './blob-store.js';
// Blobs
export { checkBlobKey, createFileBlobStore } from './blob-store.js';
export type {
  IdempotencyBeginResult,
  IdempotencyFingerprint,
  IdempotencyStore,
  StoredResponse,
} from './idempotency-store.js';
export { createIdempotencyStore, IDEMPOTENCY_TTL_MS } from './idempotency-store.js';
export { createMigrator, MigrationError, migrateToLatest, migrations } from './migrate.js';
export type { DatabaseTarget, OpenDatabaseOptions, OpenedDatabase } from './open-database.js';
export { DEFAULT_SQLITE_FILE, openDatabase, parseDatabaseUrl } from './open-database.js';
export type { OpenStorageOptions, Storage } from './open-storage.js';
// Opening
export { openStorage } from './open-storage.js';
export type { PostgresPoolOptions } from './postgres-dialect.js';
export { createPostgresDialect, createPostgresPool } from './postgres-dialect.js';
export type { Database, Engine } from './schema.js';
export type { SqliteOpenOptions } from './sqlite-dialect.js';
// Dialects
export { createSqliteDialect, NodeSqliteDatabase, openSqlite } from './sqlite-dialect.js';
export type { Store } from './store.js';
// Repositories
export { createStore, repositoriesOf } from './store.js';
