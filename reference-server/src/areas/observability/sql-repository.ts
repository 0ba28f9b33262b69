/** @module The observability area's repositories over SQL (SQLite or PostgreSQL, through Kysely). */
import type { ObservabilityRepositories } from '@cartrita/engine';
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { createLogStore } from './log-store.js';
import { createSpanStore } from './span-store.js';

/** Every repository of the observability area over one migrated database. */
export const createObservabilitySqlRepositories = (db: Kysely<Database>): ObservabilityRepositories => ({
  logs: createLogStore(db),
  spans: createSpanStore(db),
});
