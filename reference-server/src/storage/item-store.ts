import { hiddenItemTypes } from '@cartrita/contracts';
import type { Kysely } from 'kysely';
import { fromJson, nowIso, toIso, toJson } from './codec.js';
import { type ListOptions, type Page, pageSize, toPage } from './pagination.js';
import type { Database } from './schema.js';

/**
 * A thread item exactly as it goes on the wire (any ChatKit `ThreadItem`, or a server-only hidden
 * context item). The store reads only `id`, `type` and `created_at`, and keeps the rest as JSON.
 */
export interface StoredItem {
  id: string;
  type: string;
  created_at?: string;
  [field: string]: unknown;
}

/** Options for {@link ItemStore.list}. */
export interface ItemListOptions extends ListOptions {
  /**
   * Include server-only items (`hidden_context_item`, `sdk_hidden_context`). Never pass `true` for
   * anything a client will see.
   * @default false
   */
  includeHidden?: boolean;
}

/**
 * Items of a thread, in the order they were first saved. Callers check that the thread exists and belongs
 * to the user (with `ThreadStore.get`) before touching its items.
 */
export interface ItemStore {
  /**
   * Inserts the item at the end of the thread or, when the thread already has an item with its id,
   * replaces it in place (it keeps its position). The thread must exist.
   */
  save(threadId: string, item: StoredItem): Promise<void>;
  /** The item, hidden or not, or `undefined`. */
  get(threadId: string, itemId: string): Promise<StoredItem | undefined>;
  /** A page of items (newest first by default), without hidden ones unless asked. */
  list(threadId: string, options?: ItemListOptions): Promise<Page<StoredItem>>;
  /** The newest item (hidden ones only when asked), or `undefined` for an empty thread. */
  latest(threadId: string, options?: { includeHidden?: boolean }): Promise<StoredItem | undefined>;
  /** Deletes every item after the given one (hidden ones too); returns how many. 0 when it is absent. */
  deleteAfter(threadId: string, itemId: string): Promise<number>;
  /** Deletes one item; returns whether it existed. */
  delete(threadId: string, itemId: string): Promise<boolean>;
}

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
