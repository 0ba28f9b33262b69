import type { Kysely } from 'kysely';
import { type AttachmentStore, createAttachmentStore } from './attachment-store.js';
import { createFeedbackStore, type FeedbackStore } from './feedback-store.js';
import { createIdempotencyStore, type IdempotencyStore } from './idempotency-store.js';
import { createItemStore, type ItemStore } from './item-store.js';
import { createResponseStore, type ResponseStore } from './response-store.js';
import type { Database } from './schema.js';
import { createSessionStore, type SessionStore } from './session-store.js';
import { createThreadStore, type ThreadStore } from './thread-store.js';

/** Every repository over one database: the only way the rest of the server reaches stored data. */
export interface Store {
  readonly threads: ThreadStore;
  readonly items: ItemStore;
  readonly attachments: AttachmentStore;
  readonly feedback: FeedbackStore;
  readonly sessions: SessionStore;
  readonly idempotency: IdempotencyStore;
  readonly responses: ResponseStore;
}

/**
 * Bundles the repositories over a migrated database.
 *
 * @example
 * ```ts
 * const { db, close } = await openDatabase({ url: process.env.DATABASE_URL, dataDir: '.data' });
 * const store = createStore(db);
 * const thread = await store.threads.create({ user_id: 'usr_1' });
 * ```
 */
export function createStore(db: Kysely<Database>): Store {
  return {
    threads: createThreadStore(db),
    items: createItemStore(db),
    attachments: createAttachmentStore(db),
    feedback: createFeedbackStore(db),
    sessions: createSessionStore(db),
    idempotency: createIdempotencyStore(db),
    responses: createResponseStore(db),
  };
}
