import type { ResponseStore, StoredFrame } from '@cartrita/engine';
import { type Kysely, PostgresAdapter, sql } from 'kysely';
import { nowIso } from '../../storage/codec.js';
import type { Database } from '../../storage/schema.js';
import { FrameWriter, rowsParameter } from './frame-writer.js';
import { SqliteFrameLog } from './sqlite-frame-log.js';

/**
 * How live frames reach the log. PostgreSQL appends them to `chat_frames` in group commits; SQLite
 * keeps them in arrival order until their reply ends ({@link SqliteFrameLog}).
 */
interface LiveFrames {
  append(id: string, frames: readonly StoredFrame[]): Promise<void>;
  /** Frames of a live reply not in `chat_frames` yet. */
  unfiled(id: string, afterSeq: number): Promise<StoredFrame[]>;
  finish: ResponseStore['finish'];
}

/** PostgreSQL: live frames go straight to `chat_frames`, one statement per group commit. */
const postgresLiveFrames = (db: Kysely<Database>, setStatus: ResponseStore['setStatus']): LiveFrames => {
  const writer = new FrameWriter(async (rows) => {
    await sql`insert into chat_frames (response_id, seq, data)
      select f ->> 0, (f ->> 1)::integer, f ->> 2
      from jsonb_array_elements(${rowsParameter(rows)}::jsonb) as f`.execute(db);
  });
  return {
    append: (id, frames) => writer.append(frames.map((frame) => ({ response_id: id, ...frame }))),
    unfiled: async () => [],
    finish: (id, status) => setStatus(id, status),
  };
};

/** Builds the {@link ResponseStore} over a database. */
export function createResponseStore(db: Kysely<Database>): ResponseStore {
  const setStatus: ResponseStore['setStatus'] = async (id, status) => {
    await db
      .updateTable('chat_responses')
      .set({ status, updated_at: nowIso() })
      .where('id', '=', id)
      .execute();
  };
  const sqlite = db.getExecutor().adapter instanceof PostgresAdapter ? undefined : new SqliteFrameLog(db);
  const live: LiveFrames = sqlite ?? postgresLiveFrames(db, setStatus);
  return {
    async create(params) {
      const at = nowIso();
      await db
        .insertInto('chat_responses')
        .values({ ...params, status: 'running', created_at: at, updated_at: at })
        .execute();
    },

    async get(id, userId) {
      return db
        .selectFrom('chat_responses')
        .selectAll()
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
    },

    async appendFrames(id, frames) {
      if (frames.length === 0) return;
      await live.append(id, frames);
    },

    async frames(id, afterSeq) {
      await sqlite?.ready;
      const rows = await db
        .selectFrom('chat_frames')
        .select(['seq', 'data'])
        .where('response_id', '=', id)
        .where('seq', '>', afterSeq)
        .orderBy('seq')
        .execute();
      const filed = rows.map((row) => ({ seq: Number(row.seq), data: row.data }));
      const unfiled = await live.unfiled(id, filed.at(-1)?.seq ?? afterSeq);
      return unfiled.length === 0 ? filed : [...filed, ...unfiled];
    },

    setStatus,

    finish: (id, status, frames) => live.finish(id, status, frames),

    async listRunning() {
      return db.selectFrom('chat_responses').selectAll().where('status', '=', 'running').execute();
    },
  };
}
