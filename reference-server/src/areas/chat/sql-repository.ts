/** @module The chat area's repositories over SQL (SQLite or PostgreSQL, through Kysely). */
import type { ChatRepositories } from '@cartrita/engine';
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { createResponseStore } from './response-store.js';

/** Every repository of the chat area over one migrated database. */
export const createChatSqlRepositories = (db: Kysely<Database>): ChatRepositories => ({
  responses: createResponseStore(db),
});
