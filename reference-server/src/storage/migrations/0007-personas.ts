import type { Kysely } from 'kysely';
import type { EngineMigration } from './engine-migration.js';

/**
 * Project 2501 (seed 003): personas and modules, each a user's own. A module's name is unique per
 * user, as `@module_name` finds it by name.
 */
export const personasMigration: EngineMigration = {
  async up(db: Kysely<unknown>, columns) {
    await columns
      .addSeq(db.schema.createTable('personas'))
      .addColumn('id', 'text', (col) => col.notNull().unique())
      .addColumn('user_id', 'text', (col) => col.notNull())
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('description', 'text')
      .addColumn('template', 'text', (col) => col.notNull())
      .addColumn('mode', 'text', (col) => col.notNull())
      .addColumn('first_message', 'text')
      .addColumn('image_path', 'text')
      .addColumn('is_active', 'integer', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('updated_at', 'text', (col) => col.notNull())
      .execute();
    await db.schema.createIndex('personas_user').on('personas').columns(['user_id', 'seq']).execute();

    await columns
      .addSeq(db.schema.createTable('persona_modules'))
      .addColumn('id', 'text', (col) => col.notNull().unique())
      .addColumn('user_id', 'text', (col) => col.notNull())
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('description', 'text')
      .addColumn('type', 'text', (col) => col.notNull())
      .addColumn('content', 'text', (col) => col.notNull())
      .addColumn('script', 'text')
      .addColumn('trigger_pattern', 'text')
      .addColumn('execution_stage', 'text')
      .addColumn('plugin_functions', 'text', (col) => col.notNull())
      .addColumn('is_active', 'integer', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('updated_at', 'text', (col) => col.notNull())
      .addUniqueConstraint('persona_modules_user_name', ['user_id', 'name'])
      .execute();
    await db.schema
      .createIndex('persona_modules_user')
      .on('persona_modules')
      .columns(['user_id', 'seq'])
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('persona_modules').execute();
    await db.schema.dropTable('personas').execute();
  },
};
