/** @module The engines area's repository over SQL. */
import type { EngineAreaRepositories, EngineStore, StoredEngine } from '@cartrita/engine';
import type { Kysely, Selectable } from 'kysely';
import { fromJson, toJson } from '../../storage/codec.js';
import type { Database, EnginesTable } from '../../storage/schema.js';

const toEngine = ({ seq: _seq, ...row }: Selectable<EnginesTable>): StoredEngine => ({
  ...row,
  configuration: fromJson(row.configuration),
  executions: Number(row.executions),
  input_tokens: Number(row.input_tokens),
  output_tokens: Number(row.output_tokens),
});

/** Builds the {@link EngineStore} over a database. */
export function createEngineStore(db: Kysely<Database>): EngineStore {
  return {
    async create(engine) {
      const row = await db
        .insertInto('engines')
        .values({ ...engine, configuration: toJson(engine.configuration) })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toEngine(row);
    },

    async get(id) {
      const row = await db.selectFrom('engines').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toEngine(row);
    },

    async list({ user_id, session_id, status }) {
      let query = db.selectFrom('engines').selectAll().where('user_id', '=', user_id);
      if (session_id !== undefined) query = query.where('session_id', '=', session_id);
      if (status !== undefined) query = query.where('status', '=', status);
      const rows = await query.orderBy('seq', 'desc').execute();
      return rows.map(toEngine);
    },

    async update(id, update) {
      const row = await db
        .updateTable('engines')
        .set((eb) => ({
          status: update.status,
          ...(update.usage
            ? {
                executions: eb('executions', '+', update.usage.executions),
                input_tokens: eb('input_tokens', '+', update.usage.input_tokens),
                output_tokens: eb('output_tokens', '+', update.usage.output_tokens),
              }
            : {}),
          ...(update.last_used_at === undefined ? {} : { last_used_at: update.last_used_at }),
        }))
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row && toEngine(row);
    },

    async delete(id) {
      const result = await db.deleteFrom('engines').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async count(sessionId) {
      const row = await db
        .selectFrom('engines')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .where('session_id', '=', sessionId)
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },

    async deleteSession(sessionId) {
      const result = await db.deleteFrom('engines').where('session_id', '=', sessionId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

/** The engines area's repository over a migrated database. */
export const createEngineAreaSqlRepositories = (db: Kysely<Database>): EngineAreaRepositories => ({
  engines: createEngineStore(db),
});
