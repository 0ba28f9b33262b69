import { type Kysely, sql } from 'kysely';
import type { EngineColumns } from '../engine-columns.js';
import type { EngineMigration } from './engine-migration.js';

/**
 * Seed 004's memories, each of one user (a `conversation` memory also of one session), and the
 * configuration sections changed at run time, one row each.
 */
export const memoryConfigMigration: EngineMigration = {
  async up(db: Kysely<unknown>, columns: EngineColumns) {
    await columns
      .addSeq(db.schema.createTable('memories'))
      .addColumn('id', 'text', (col) => col.notNull().unique())
      .addColumn('user_id', 'text', (col) => col.notNull())
      .addColumn('session_id', 'text')
      .addColumn('type', 'text', (col) =>
        col.notNull().check(sql`type in ('profile', 'fact', 'conversation')`),
      )
      .addColumn('content', 'text', (col) => col.notNull())
      .addColumn('metadata', 'text', (col) => col.notNull())
      .addColumn('timestamp', 'text', (col) => col.notNull())
      .execute();
    // A user's memories newest first (of one type), and a clear by age.
    await db.schema.createIndex('memories_user_seq').on('memories').columns(['user_id', 'seq']).execute();
    await db.schema
      .createIndex('memories_user_type_timestamp')
      .on('memories')
      .columns(['user_id', 'type', 'timestamp'])
      .execute();

    await db.schema
      .createTable('config_sections')
      .addColumn('config_type', 'text', (col) => col.primaryKey())
      .addColumn('overrides', 'text', (col) => col.notNull())
      .addColumn('updated_at', 'text', (col) => col.notNull())
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('config_sections').execute();
    await db.schema.dropTable('memories').execute();
  },
};
