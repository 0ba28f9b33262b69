import { type Kysely, sql } from 'kysely';
import type { EngineColumns } from '../engine-columns.js';
import type { EngineMigration } from './engine-migration.js';

/**
 * SQLite only: the frames of live replies in arrival order, unindexed, until their reply ends and they
 * are filed into `chat_frames` (see `areas/chat/sqlite-frame-log.ts` for why). `autoincrement` keeps row
 * ids rising for the life of the database, so "every row up to id N" always means the oldest rows.
 * PostgreSQL writes live frames to `chat_frames` directly and has no such table.
 */
export const chatFrameLogMigration: EngineMigration = {
  async up(db: Kysely<unknown>, columns: EngineColumns) {
    if (columns.engine !== 'sqlite') return;
    await sql`create table chat_frame_log (
      id integer primary key autoincrement,
      response_id text not null,
      seq integer not null,
      data text not null
    )`.execute(db);
  },

  async down(db: Kysely<unknown>, columns: EngineColumns) {
    if (columns.engine !== 'sqlite') return;
    await db.schema.dropTable('chat_frame_log').execute();
  },
};
