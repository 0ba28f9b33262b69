import type { Kysely } from 'kysely';
import type { EngineMigration } from './engine-migration.js';

/** The durable log of streamed replies, so a dropped connection can resume with `Last-Event-ID`. */
export const chatResponsesMigration: EngineMigration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('chat_responses')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('user_id', 'text', (col) => col.notNull())
      .addColumn('thread_id', 'text', (col) => col.notNull().references('threads.id').onDelete('cascade'))
      .addColumn('message_id', 'text', (col) => col.notNull())
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('updated_at', 'text', (col) => col.notNull())
      .execute();
    await db.schema.createIndex('chat_responses_status').on('chat_responses').column('status').execute();

    await db.schema
      .createTable('chat_frames')
      .addColumn('response_id', 'text', (col) =>
        col.notNull().references('chat_responses.id').onDelete('cascade'),
      )
      .addColumn('seq', 'integer', (col) => col.notNull())
      .addColumn('data', 'text', (col) => col.notNull())
      .addPrimaryKeyConstraint('chat_frames_pk', ['response_id', 'seq'])
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('chat_frames').execute();
    await db.schema.dropTable('chat_responses').execute();
  },
};
