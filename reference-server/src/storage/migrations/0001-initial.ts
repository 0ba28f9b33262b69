import { type Kysely, sql } from 'kysely';
import type { EngineColumns } from '../engine-columns.js';
import type { EngineMigration } from './engine-migration.js';

/** Threads, their items, attachments, feedback, ChatKit sessions and idempotency keys. */
export const initialMigration: EngineMigration = {
  async up(db: Kysely<unknown>, columns: EngineColumns) {
    await columns
      .addSeq(db.schema.createTable('threads'))
      .addColumn('id', 'text', (col) => col.notNull().unique())
      .addColumn('user_id', 'text', (col) => col.notNull())
      .addColumn('title', 'text')
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('metadata', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('updated_at', 'text', (col) => col.notNull())
      .execute();
    await db.schema.createIndex('threads_user_seq').on('threads').columns(['user_id', 'seq']).execute();

    await columns
      .addSeq(db.schema.createTable('thread_items'))
      .addColumn('id', 'text', (col) => col.notNull())
      .addColumn('thread_id', 'text', (col) => col.notNull().references('threads.id').onDelete('cascade'))
      .addColumn('type', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('hidden', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('data', 'text', (col) => col.notNull())
      .addUniqueConstraint('thread_items_thread_id_id', ['thread_id', 'id'])
      .execute();
    await db.schema
      .createIndex('thread_items_thread_seq')
      .on('thread_items')
      .columns(['thread_id', 'seq'])
      .execute();

    await db.schema
      .createTable('attachments')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('user_id', 'text', (col) => col.notNull())
      .addColumn('thread_id', 'text', (col) => col.references('threads.id').onDelete('cascade'))
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('mime_type', 'text', (col) => col.notNull())
      .addColumn('size', 'bigint', (col) => col.notNull())
      .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('file', 'image')`))
      .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('pending', 'uploaded')`))
      .addColumn('blob_key', 'text')
      .addColumn('created_at', 'text', (col) => col.notNull())
      .execute();
    await db.schema.createIndex('attachments_thread').on('attachments').column('thread_id').execute();
    await db.schema.createIndex('attachments_user').on('attachments').column('user_id').execute();

    await db.schema
      .createTable('feedback')
      .addColumn('thread_id', 'text', (col) => col.notNull())
      .addColumn('item_id', 'text', (col) => col.notNull())
      .addColumn('user_id', 'text', (col) => col.notNull())
      .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('positive', 'negative')`))
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addPrimaryKeyConstraint('feedback_pk', ['thread_id', 'item_id', 'user_id'])
      .addForeignKeyConstraint(
        'feedback_item_fk',
        ['thread_id', 'item_id'],
        'thread_items',
        ['thread_id', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      .execute();

    await db.schema
      .createTable('sessions')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('user_id', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('expires_at', 'text', (col) => col.notNull())
      .addColumn('revoked', 'integer', (col) => col.notNull().defaultTo(0))
      .execute();
    await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

    await db.schema
      .createTable('idempotency_keys')
      .addColumn('scope', 'text', (col) => col.notNull())
      .addColumn('key', 'text', (col) => col.notNull())
      .addColumn('method', 'text', (col) => col.notNull())
      .addColumn('path', 'text', (col) => col.notNull())
      .addColumn('body_hash', 'text', (col) => col.notNull())
      .addColumn('state', 'text', (col) => col.notNull().check(sql`state in ('in_progress', 'completed')`))
      .addColumn('status_code', 'integer')
      .addColumn('response_headers', 'text')
      .addColumn('response_body', columns.bytes)
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'key'])
      .execute();
    await db.schema
      .createIndex('idempotency_keys_created')
      .on('idempotency_keys')
      .column('created_at')
      .execute();
  },

  async down(db: Kysely<unknown>) {
    for (const table of [
      'idempotency_keys',
      'sessions',
      'feedback',
      'attachments',
      'thread_items',
      'threads',
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
};
