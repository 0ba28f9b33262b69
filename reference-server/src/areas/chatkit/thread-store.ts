import type { ThreadStatus } from '@cartrita/contracts';
import type { StoredThread, ThreadStore } from '@cartrita/engine';
import { newId, pageSize, toPage } from '@cartrita/engine';
import type { Kysely, Selectable } from 'kysely';
import { fromJson, nowIso, toIso, toJson } from '../../storage/codec.js';
import type { Database, ThreadsTable } from '../../storage/schema.js';

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
          id: params.id ?? newId('thread', 8),
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
