import type { HandlerStore } from '@cartrita/engine';
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';

/** Builds the {@link HandlerStore} over a database. */
export function createHandlerStore(db: Kysely<Database>): HandlerStore {
  return {
    async create(handler) {
      const result = await db
        .insertInto('handlers')
        .values(handler)
        .onConflict((conflict) => conflict.columns(['session_id', 'kind', 'type']).doNothing())
        .returning('created_at')
        .executeTakeFirst();
      // Nothing comes back when the row was there already.
      return result !== undefined;
    },

    async get(sessionId, kind, type) {
      return db
        .selectFrom('handlers')
        .selectAll()
        .where('session_id', '=', sessionId)
        .where('kind', '=', kind)
        .where('type', '=', type)
        .executeTakeFirst();
    },

    async list(sessionId) {
      return db
        .selectFrom('handlers')
        .selectAll()
        .where('session_id', '=', sessionId)
        .orderBy('kind')
        .orderBy('type')
        .execute();
    },

    async delete(sessionId, kind, type) {
      const result = await db
        .deleteFrom('handlers')
        .where('session_id', '=', sessionId)
        .where('kind', '=', kind)
        .where('type', '=', type)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async count(sessionId) {
      const row = await db
        .selectFrom('handlers')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .where('session_id', '=', sessionId)
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },

    async deleteSession(sessionId) {
      const result = await db.deleteFrom('handlers').where('session_id', '=', sessionId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
