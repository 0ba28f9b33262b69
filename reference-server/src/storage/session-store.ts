import type { Kysely, Selectable } from 'kysely';
import { newId, nowIso, toIso } from './codec.js';
import type { Database, SessionsTable } from './schema.js';

/** A ChatKit session, as minted by `POST /api/chatkit/session`. */
export interface StoredSession {
  /** `sess_...` */
  id: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  revoked: boolean;
}

/** What {@link SessionStore.create} needs. */
export interface SessionCreateParams {
  /** @default a new `sess_` id */
  id?: string;
  user_id: string;
  /** When the session stops being valid. */
  expires_at: string | Date;
}

/** ChatKit sessions. */
export interface SessionStore {
  create(params: SessionCreateParams): Promise<StoredSession>;
  /** The session, revoked and expired ones included, or `undefined`. */
  get(id: string): Promise<StoredSession | undefined>;
  /** The session only while it is neither revoked nor expired (at `now`). */
  getActive(id: string, now?: Date): Promise<StoredSession | undefined>;
  /** Revokes the session; returns whether it exists. */
  revoke(id: string): Promise<boolean>;
  /** Deletes sessions that expired before `before`; returns how many. */
  purgeExpired(before?: Date): Promise<number>;
}

const columns = ['id', 'user_id', 'created_at', 'expires_at', 'revoked'] as const;

function toSession(row: Selectable<SessionsTable>): StoredSession {
  return { ...row, revoked: row.revoked !== 0 };
}

/** Builds the {@link SessionStore} over a database. */
export function createSessionStore(db: Kysely<Database>): SessionStore {
  return {
    async create(params) {
      const row = await db
        .insertInto('sessions')
        .values({
          id: params.id ?? newId('sess'),
          user_id: params.user_id,
          created_at: nowIso(),
          expires_at: toIso(params.expires_at),
          revoked: 0,
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
        .where('expires_at', '>', now.toISOString())
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

    async purgeExpired(before = new Date()) {
      const result = await db
        .deleteFrom('sessions')
        .where('expires_at', '<', before.toISOString())
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
