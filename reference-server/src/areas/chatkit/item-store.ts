import { hiddenItemTypes } from '@cartrita/contracts';
import type { ItemStore, StoredItem } from '@cartrita/engine';
import { type Page, pageSize, toPage } from '@cartrita/engine';
import type { Kysely } from 'kysely';
import { fromJson, nowIso, toIso, toJson } from '../../storage/codec.js';
import type { Database } from '../../storage/schema.js';

/** Whether items of this type stay on the server. */
export function isHiddenItemType(type: string): boolean {
  return hiddenItemTypes.includes(type);
}

/** Builds the {@link ItemStore} over a database. */
export function createItemStore(db: Kysely<Database>): ItemStore {
  const seqOf = (threadId: string, itemId: string) =>
    db.selectFrom('thread_items').select('seq').where('thread_id', '=', threadId).where('id', '=', itemId);

  return {
    async save(threadId, item) {
      const row = {
        type: item.type,
        created_at: item.created_at === undefined ? nowIso() : toIso(item.created_at),
        hidden: isHiddenItemType(item.type) ? 1 : 0,
        data: toJson(item),
      };
      await db
        .insertInto('thread_items')
        .values({ id: item.id, thread_id: threadId, ...row })
        .onConflict((conflict) => conflict.columns(['thread_id', 'id']).doUpdateSet(row))
        .execute();
    },

    async get(threadId, itemId) {
      const row = await db
        .selectFrom('thread_items')
        .select('data')
        .where('thread_id', '=', threadId)
        .where('id', '=', itemId)
        .executeTakeFirst();
      return row && fromJson<StoredItem>(row.data);
    },

    async threadOf(itemId) {
      const row = await db
        .selectFrom('thread_items')
        .select('thread_id')
        .where('id', '=', itemId)
        .limit(1)
        .executeTakeFirst();
      return row?.thread_id;
    },

    async list(threadId, options = {}) {
      const limit = pageSize(options.limit);
      const order = options.order ?? 'desc';
      let query = db.selectFrom('thread_items').select(['id', 'data']).where('thread_id', '=', threadId);
      if (!options.includeHidden) query = query.where('hidden', '=', 0);
      if (options.after !== undefined) {
        query = query.where('seq', order === 'asc' ? '>' : '<', seqOf(threadId, options.after));
      }
      const rows = await query
        .orderBy('seq', order)
        .limit(limit + 1)
        .execute();
      return mapPage(toPage(rows, limit, (row) => row.id));
    },

    async latest(threadId, options = {}) {
      let query = db.selectFrom('thread_items').select('data').where('thread_id', '=', threadId);
      if (!options.includeHidden) query = query.where('hidden', '=', 0);
      const row = await query.orderBy('seq', 'desc').limit(1).executeTakeFirst();
      return row && fromJson<StoredItem>(row.data);
    },

    async deleteAfter(threadId, itemId) {
      const result = await db
        .deleteFrom('thread_items')
        .where('thread_id', '=', threadId)
        .where('seq', '>', seqOf(threadId, itemId))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async delete(threadId, itemId) {
      const result = await db
        .deleteFrom('thread_items')
        .where('thread_id', '=', threadId)
        .where('id', '=', itemId)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

function mapPage(page: Page<{ id: string; data: string }>): Page<StoredItem> {
  return { ...page, data: page.data.map((row) => fromJson<StoredItem>(row.data)) };
}
