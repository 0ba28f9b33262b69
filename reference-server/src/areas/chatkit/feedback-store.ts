import type { FeedbackStore } from '@cartrita/engine';
import type { Kysely } from 'kysely';
import { nowIso } from '../../storage/codec.js';
import type { Database } from '../../storage/schema.js';

/** Builds the {@link FeedbackStore} over a database. */
export function createFeedbackStore(db: Kysely<Database>): FeedbackStore {
  return {
    async record(threadId, itemIds, kind, userId) {
      if (itemIds.length === 0) return 0;
      const existing = await db
        .selectFrom('thread_items')
        .select('id')
        .where('thread_id', '=', threadId)
        .where('id', 'in', [...itemIds])
        .execute();
      if (existing.length === 0) return 0;
      const createdAt = nowIso();
      await db
        .insertInto('feedback')
        .values(
          existing.map(({ id }) => ({
            thread_id: threadId,
            item_id: id,
            user_id: userId,
            kind,
            created_at: createdAt,
          })),
        )
        .onConflict((conflict) =>
          conflict.columns(['thread_id', 'item_id', 'user_id']).doUpdateSet({ kind, created_at: createdAt }),
        )
        .execute();
      return existing.length;
    },

    async list(threadId, itemId) {
      return db
        .selectFrom('feedback')
        .select(['thread_id', 'item_id', 'user_id', 'kind', 'created_at'])
        .where('thread_id', '=', threadId)
        .where('item_id', '=', itemId)
        .orderBy('created_at')
        .orderBy('user_id')
        .execute();
    },
  };
}
