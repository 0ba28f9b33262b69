/** @module The ChatKit area's repositories over SQL (SQLite or PostgreSQL, through Kysely). */
import type { ChatKitRepositories } from '@cartrita/engine';
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { createAttachmentStore } from './attachment-store.js';
import { createFeedbackStore } from './feedback-store.js';
import { createItemStore } from './item-store.js';
import { createSessionStore } from './session-store.js';
import { createThreadStore } from './thread-store.js';

/** Every repository of the ChatKit area over one migrated database. */
export const createChatKitSqlRepositories = (db: Kysely<Database>): ChatKitRepositories => ({
  threads: createThreadStore(db),
  items: createItemStore(db),
  attachments: createAttachmentStore(db),
  feedback: createFeedbackStore(db),
  sessions: createSessionStore(db),
});
