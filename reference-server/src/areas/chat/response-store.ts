import type { ResponseStore } from '@cartrita/engine';
import type { Kysely } from 'kysely';
import { nowIso } from '../../storage/codec.js';
import type { Database } from '../../storage/schema.js';
import { FrameWriter } from './frame-writer.js';

/** Builds the {@link ResponseStore} over a database. */
export function createResponseStore(db: Kysely<Database>): ResponseStore {
  const writer = new FrameWriter(db);
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
      await writer.append(frames.map((frame) => ({ response_id: id, seq: frame.seq, data: frame.data })));
    },

    async frames(id, afterSeq) {
      const rows = await db
        .selectFrom('chat_frames')
        .select(['seq', 'data'])
        .where('response_id', '=', id)
        .where('seq', '>', afterSeq)
        .orderBy('seq')
        .execute();
      return rows.map((row) => ({ seq: Number(row.seq), data: row.data }));
    },

    async setStatus(id, status) {
      await db
        .updateTable('chat_responses')
        .set({ status, updated_at: nowIso() })
        .where('id', '=', id)
        .execute();
    },

    async listRunning() {
      return db.selectFrom('chat_responses').selectAll().where('status', '=', 'running').execute();
    },
  };
}
