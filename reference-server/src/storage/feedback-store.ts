import type { Kysely } from 'kysely';
import { nowIso } from './codec.js';
import type { Database } from './schema.js';

/** A thumbs up or down. */
export type FeedbackKind = 'positive' | 'negative';

/** One user's vote on one item. */
export interface StoredFeedback {
  thread_id: string;
  item_id: string;
  user_id: string;
  kind: FeedbackKind;
  created_at: string;
}

/** Feedback on items: one vote per item and user, the latest replacing the earlier. */
export interface FeedbackStore {
  /**
   * Records the user's vote on each item of the thread; a second vote replaces the first. Ids of items
   * the thread does not have are skipped. Returns how many votes were recorded.
   */
  record(threadId: string, itemIds: readonly string[], kind: FeedbackKind, userId: string): Promise<number>;
  /** Every vote on one item, oldest first. */
  list(threadId: string, itemId: string): Promise<StoredFeedback[]>;
}

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
