/** @module Storage of the reference server: one Kysely query layer over SQLite (default) or PostgreSQL. */

export type { AttachmentCreateParams, AttachmentStore, StoredAttachment } from './attachment-store.js';
export { createAttachmentStore } from './attachment-store.js';
export type { BlobSource, BlobStore } from './blob-store.js';
// Blobs
export { checkBlobKey, createFileBlobStore } from './blob-store.js';
export type { FeedbackKind, FeedbackStore, StoredFeedback } from './feedback-store.js';
export { createFeedbackStore } from './feedback-store.js';
export type {
  IdempotencyBeginResult,
  IdempotencyFingerprint,
  IdempotencyStore,
  StoredResponse,
} from './idempotency-store.js';
export { createIdempotencyStore, IDEMPOTENCY_TTL_MS } from './idempotency-store.js';
export type { ItemListOptions, ItemStore, StoredItem } from './item-store.js';
export { createItemStore, isHiddenItemType } from './item-store.js';
export { createMigrator, MigrationError, migrateToLatest, migrations } from './migrate.js';
export type { DatabaseTarget, OpenDatabaseOptions, OpenedDatabase } from './open-database.js';
export { DEFAULT_SQLITE_FILE, openDatabase, parseDatabaseUrl } from './open-database.js';
export type { OpenStorageOptions, Storage } from './open-storage.js';
// Opening
export { openStorage } from './open-storage.js';
export type { ListOptions, ListOrder, Page } from './pagination.js';
export { DEFAULT_PAGE_SIZE } from './pagination.js';
export type { PostgresPoolOptions } from './postgres-dialect.js';
export { createPostgresDialect, createPostgresPool } from './postgres-dialect.js';
export type { Database, Engine } from './schema.js';
export type { SessionCreateParams, SessionStore, StoredSession } from './session-store.js';
export { createSessionStore } from './session-store.js';
export type { SqliteOpenOptions } from './sqlite-dialect.js';
// Dialects
export { createSqliteDialect, NodeSqliteDatabase, openSqlite } from './sqlite-dialect.js';
export type { Store } from './store.js';
// Repositories
export { createStore } from './store.js';
export type {
  DeletedThread,
  StoredThread,
  ThreadCreateParams,
  ThreadStore,
  ThreadUpdateParams,
} from './thread-store.js';
export { createThreadStore } from './thread-store.js';
