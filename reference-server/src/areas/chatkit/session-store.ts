import type { SessionStore, StoredSession } from '@cartrita/engine';
import { newId } from '@cartrita/engine';
import type { Kysely, Selectable } from 'kysely';
import { fromJson, nowIso, toIso, toJson } from '../../storage/codec.js';
import type { Database, SessionsTable } from '../../storage/schema.js';

const columns = ['id', 'user_id', 'created_at', 'expires_at', 'revoked', 'name', 'metadata'] as const;

function toSession(row: Selectable<SessionsTable>): StoredSession {
  return { ...row, revoked: row.revoked !== 0, metadata: fromJson(row.metadata) };
}

/** Builds the {@link SessionStore} over a database. */
export function createSessionStore(db: Kysely<Database>): SessionStore {
  return {
    async create(params) {
      const row = await db
        .insertInto('sessions')
        .values({
          id: params.id ?? newId('session', 8),
          user_id: params.user_id,
          created_at: nowIso(),
          expires_at: params.expires_at === null ? null : toIso(params.expires_at),
          revoked: 0,
          name: params.name ?? null,
          metadata: toJson(params.metadata ?? {}),
        })
        .returning(columns)
        .executeTakeFirstOrThrow();
      return toSession(row);
    },

    async get(id) {
      const row = await db.selectFrom('sessions').select(columns).where('id', '=', id).executeTakeFirst();
      return row && toSession(row);
    },

    async getActive(id, now = new Date()) {
      const row = await db
        .selectFrom('sessions')
        .select(columns)
        .where('id', '=', id)
        .where('revoked', '=', 0)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now.toISOString())]))
        .executeTakeFirst();
      return row && toSession(row);
    },

    async revoke(id) {
      const result = await db
        .updateTable('sessions')
        .set({ revoked: 1 })
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async delete(id) {
      const result = await db.deleteFrom('sessions').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async purgeExpired(before = new Date()) {
      const result = await db
        .deleteFrom('sessions')
        .where('expires_at', '<', before.toISOString())
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
