import type { StoredTool, ToolStore } from '@cartrita/engine';
import type { Kysely, Selectable } from 'kysely';
import { fromJson, toJson } from '../../storage/codec.js';
import type { Database, ToolsTable } from '../../storage/schema.js';

const toTool = (row: Selectable<ToolsTable>): StoredTool => ({
  ...row,
  parameters: fromJson(row.parameters),
});

/** Builds the {@link ToolStore} over a database. */
export function createToolStore(db: Kysely<Database>): ToolStore {
  return {
    async create(tool) {
      const result = await db
        .insertInto('tools')
        .values({ ...tool, parameters: toJson(tool.parameters) })
        .onConflict((conflict) => conflict.columns(['session_id', 'name']).doNothing())
        .returning('created_at')
        .executeTakeFirst();
      // Nothing comes back when the row was there already.
      return result !== undefined;
    },

    async get(sessionId, name) {
      const row = await db
        .selectFrom('tools')
        .selectAll()
        .where('session_id', '=', sessionId)
        .where('name', '=', name)
        .executeTakeFirst();
      return row && toTool(row);
    },

    async list(sessionId) {
      const rows = await db
        .selectFrom('tools')
        .selectAll()
        .where('session_id', '=', sessionId)
        .orderBy('name')
        .execute();
      return rows.map(toTool);
    },

    async delete(sessionId, name) {
      const result = await db
        .deleteFrom('tools')
        .where('session_id', '=', sessionId)
        .where('name', '=', name)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async count(sessionId) {
      const row = await db
        .selectFrom('tools')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .where('session_id', '=', sessionId)
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },

    async deleteSession(sessionId) {
      const result = await db.deleteFrom('tools').where('session_id', '=', sessionId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
