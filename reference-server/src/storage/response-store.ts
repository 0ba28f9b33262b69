import type { Kysely, Selectable } from 'kysely';
import { nowIso } from './codec.js';
import type { ChatResponsesTable, Database } from './schema.js';

/** The state of a streamed reply. */
export type ChatResponseStatus = ChatResponsesTable['status'];

/** A streamed reply of the resumable doors. */
export type StoredChatResponse = Selectable<ChatResponsesTable>;

/** One frame of a reply, as written to the stream. */
export interface StoredFrame {
  seq: number;
  data: string;
}

/** Streamed replies and their frames: the log a resumed connection replays. */
export interface ResponseStore {
  create(params: { id: string; user_id: string; thread_id: string; message_id: string }): Promise<void>;
  /** The reply, or `undefined` when absent or another user's. */
  get(id: string, userId: string): Promise<StoredChatResponse | undefined>;
  /** Appends frames in one transaction (they must continue the sequence). */
  appendFrames(id: string, frames: readonly StoredFrame[]): Promise<void>;
  /** Frames with `seq` above `afterSeq`, in order. */
  frames(id: string, afterSeq: number): Promise<StoredFrame[]>;
  setStatus(id: string, status: ChatResponseStatus): Promise<void>;
  /** Replies still marked running: at start-up, those of a process that died. */
  listRunning(): Promise<StoredChatResponse[]>;
}

/** Builds the {@link ResponseStore} over a database. */
export function createResponseStore(db: Kysely<Database>): ResponseStore {
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
      await db
        .insertInto('chat_frames')
        .values(frames.map((frame) => ({ response_id: id, seq: frame.seq, data: frame.data })))
        .execute();
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
