import type { ThreadStatus } from '@cartrita/contracts';
import type { Kysely, Selectable } from 'kysely';
import { fromJson, newId, nowIso, toIso, toJson } from './codec.js';
import { type ListOptions, type Page, pageSize, toPage } from './pagination.js';
import type { Database, ThreadsTable } from './schema.js';

/** A stored thread (without its items). */
export interface StoredThread {
  id: string;
  user_id: string;
  title: string | null;
  status: ThreadStatus;
  metadata: Record<string, unknown>;
  /** ISO-8601, UTC, milliseconds. */
  created_at: string;
  /** ISO-8601, UTC, milliseconds; moves on every update and touch. */
  updated_at: string;
}

/** What {@link ThreadStore.create} needs. */
export interface ThreadCreateParams {
  /** @default a new `thr_` id */
  id?: string;
  user_id: string;
  title?: string | null;
  /** @default {type: 'active'} */
  status?: ThreadStatus;
  /** @default {} */
  metadata?: Record<string, unknown>;
  /** @default now */
  created_at?: string | Date;
}

/** The fields {@link ThreadStore.update} changes; absent fields are kept. */
export interface ThreadUpdateParams {
  title?: string | null;
  status?: ThreadStatus;
  metadata?: Record<string, unknown>;
}

/** What deleting a thread left behind for the caller to clean up. */
export interface DeletedThread {
  id: string;
  /** Blob keys of the thread's attachments, whose rows were deleted with it: delete these blobs. */
  blobKeys: string[];
}

/**
 * Threads, always scoped to their owner: reading, changing or deleting another user's thread behaves as
 * if it did not exist, so callers answer 404 without telling the two apart.
 */
export interface ThreadStore {
  create(params: ThreadCreateParams): Promise<StoredThread>;
  /** The thread, or `undefined` when it is absent or belongs to another user. */
  get(id: string, userId: string): Promise<StoredThread | undefined>;
  /** The user's threads in creation order (newest first by default). */
  list(userId: string, options?: ListOptions): Promise<Page<StoredThread>>;
  /** Changes title, status or metadata and moves `updated_at`; `undefined` when absent or not the user's. */
  update(id: string, userId: string, params: ThreadUpdateParams): Promise<StoredThread | undefined>;
  /** Moves `updated_at` to now (or `at`). Returns whether the thread exists. */
  touch(id: string, at?: string | Date): Promise<boolean>;
  /**
   * Deletes the thread with its items, their feedback and its attachment rows. `undefined` when absent or
   * not the user's.
   */
  delete(id: string, userId: string): Promise<DeletedThread | undefined>;
}

function toThread(row: Selectable<Omit<ThreadsTable, 'seq'>>): StoredThread {
  return {
    id: row.id,
    user_id: row.user_id,
    title: row.title,
    status: fromJson<ThreadStatus>(row.status),
    metadata: fromJson<Record<string, unknown>>(row.metadata),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

const columns = ['id', 'user_id', 'title', 'status', 'metadata', 'created_at', 'updated_at'] as const;

/** Builds the {@link ThreadStore} over a database. */
export function createThreadStore(db: Kysely<Database>): ThreadStore {
  return {
    async create(params) {
      const createdAt = params.created_at === undefined ? nowIso() : toIso(params.created_at);
      const row = await db
        .insertInto('threads')
        .values({
          id: params.id ?? newId('thr'),
          user_id: params.user_id,
          title: params.title ?? null,
          status: toJson(params.status ?? { type: 'active' }),
          metadata: toJson(params.metadata ?? {}),
          created_at: createdAt,
          updated_at: createdAt,
        })
        .returning(columns)
        .executeTakeFirstOrThrow();
      return toThread(row);
    },

    async get(id, userId) {
      const row = await db
        .selectFrom('threads')
        .select(columns)
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row && toThread(row);
    },

    async list(userId, options = {}) {
      const limit = pageSize(options.limit);
      const order = options.order ?? 'desc';
      let query = db.selectFrom('threads').select(columns).where('user_id', '=', userId);
      if (options.after !== undefined) {
        const cursor = db
          .selectFrom('threads')
          .select('seq')
          .where('id', '=', options.after)
          .where('user_id', '=', userId);
        query = query.where('seq', order === 'asc' ? '>' : '<', cursor);
      }
      const rows = await query
        .orderBy('seq', order)
        .limit(limit + 1)
        .execute();
      return toPage(rows.map(toThread), limit, (thread) => thread.id);
    },

    async update(id, userId, params) {
      const row = await db
        .updateTable('threads')
        .set({
          ...(params.title !== undefined ? { title: params.title } : {}),
          ...(params.status !== undefined ? { status: toJson(params.status) } : {}),
          ...(params.metadata !== undefined ? { metadata: toJson(params.metadata) } : {}),
          updated_at: nowIso(),
        })
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .returning(columns)
        .executeTakeFirst();
      return row && toThread(row);
    },

    async touch(id, at) {
      const result = await db
        .updateTable('threads')
        .set({ updated_at: at === undefined ? nowIso() : toIso(at) })
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async delete(id, userId) {
      return db.transaction().execute(async (trx) => {
        const owned = trx
          .selectFrom('threads')
          .select('id')
          .where('id', '=', id)
          .where('user_id', '=', userId);
        // Writing first (rather than reading the keys, then deleting) keeps SQLite from having to upgrade a
        // read transaction to a write one, which fails at once when another process wrote in between.
        const attachments = await trx
          .deleteFrom('attachments')
          .where('thread_id', 'in', owned)
          .returning('blob_key')
          .execute();
        const deleted = await trx
          .deleteFrom('threads')
          .where('id', '=', id)
          .where('user_id', '=', userId)
          .executeTakeFirst();
        if (deleted.numDeletedRows === 0n) return undefined;
        return { id, blobKeys: attachments.flatMap((row) => (row.blob_key === null ? [] : [row.blob_key])) };
      });
    },
  };
}
