/** @module The memory area's repository over SQL. */
import type { MemoryAreaRepositories, MemoryStore, StoredMemory } from '@cartrita/engine';
import type { Kysely, Selectable } from 'kysely';
import { fromJson, toJson } from '../../storage/codec.js';
import type { Database, MemoriesTable } from '../../storage/schema.js';

const toMemory = ({ seq: _seq, ...row }: Selectable<MemoriesTable>): StoredMemory => ({
  ...row,
  metadata: fromJson(row.metadata),
});

/** Builds the {@link MemoryStore} over a database. */
export function createMemoryStore(db: Kysely<Database>): MemoryStore {
  return {
    async create(memory) {
      const row = await db
        .insertInto('memories')
        .values({ ...memory, metadata: toJson(memory.metadata) })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toMemory(row);
    },

    async get(id, userId) {
      const row = await db
        .selectFrom('memories')
        .selectAll()
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row && toMemory(row);
    },

    async list({ user_id, type, limit, offset }) {
      let query = db.selectFrom('memories').where('user_id', '=', user_id);
      if (type !== undefined) query = query.where('type', '=', type);
      const rows = await query.selectAll().orderBy('seq', 'desc').limit(limit).offset(offset).execute();
      const { count } = await query
        .select((eb) => eb.fn.countAll<string | number>().as('count'))
        .executeTakeFirstOrThrow();
      return { memories: rows.map(toMemory), total: Number(count) };
    },

    async update(id, userId, change) {
      if (change.content === undefined && change.metadata === undefined) return this.get(id, userId);
      const row = await db
        .updateTable('memories')
        .set({
          ...(change.content === undefined ? {} : { content: change.content }),
          ...(change.metadata === undefined ? {} : { metadata: toJson(change.metadata) }),
        })
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .returningAll()
        .executeTakeFirst();
      return row && toMemory(row);
    },

    async delete(id, userId) {
      const result = await db
        .deleteFrom('memories')
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async clear({ user_id, type, older_than, session_id }) {
      let query = db.deleteFrom('memories').where('user_id', '=', user_id);
      if (session_id !== undefined) query = query.where('session_id', '=', session_id);
      if (type !== undefined) query = query.where('type', '=', type);
      if (older_than !== undefined) query = query.where('timestamp', '<', older_than);
      const result = await query.executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async candidates({ user_id, session_id, limit }) {
      const rows = await db
        .selectFrom('memories')
        .selectAll()
        .where('user_id', '=', user_id)
        .where((eb) => eb.or([eb('type', '!=', 'conversation'), eb('session_id', '=', session_id)]))
        .orderBy('seq', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toMemory);
    },
  };
}

/** The memory area's repository over a migrated database. */
export const createMemoryAreaSqlRepositories = (db: Kysely<Database>): MemoryAreaRepositories => ({
  memories: createMemoryStore(db),
});
