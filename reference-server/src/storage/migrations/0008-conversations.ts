import type { Kysely } from 'kysely';
import type { EngineMigration } from './engine-migration.js';

/**
 * Seed 003's messages are thread items read by their own id (`GET /api/messages/{id}`), without
 * their thread's: an index on the item id alone finds their thread.
 */
export const conversationsMigration: EngineMigration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex('thread_items_id').on('thread_items').column('id').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('thread_items_id').execute();
  },
};
