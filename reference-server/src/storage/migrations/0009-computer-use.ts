import type { Kysely } from 'kysely';
import type { EngineMigration } from './engine-migration.js';

/**
 * Computer-use runs (seed 000), one row each: the run's fields, its pending call and its recorded
 * steps as JSON (a run is read and replaced whole; its steps are never queried apart from it).
 */
export const computerUseMigration: EngineMigration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('computer_use_runs')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('user_id', 'text', (col) => col.notNull())
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('task', 'text', (col) => col.notNull())
      .addColumn('environment', 'text', (col) => col.notNull())
      .addColumn('model', 'text', (col) => col.notNull())
      .addColumn('pending_call', 'text')
      .addColumn('output', 'text', (col) => col.notNull())
      .addColumn('error', 'text')
      .addColumn('steps_taken', 'integer', (col) => col.notNull())
      .addColumn('max_steps', 'integer', (col) => col.notNull())
      .addColumn('expires_at', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('updated_at', 'text', (col) => col.notNull())
      .addColumn('last_response_id', 'text')
      .addColumn('steps', 'text', (col) => col.notNull())
      .execute();
    await db.schema.createIndex('computer_use_runs_user').on('computer_use_runs').column('user_id').execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('computer_use_runs').execute();
  },
};
