/** @module The session area's repositories over SQL. */
import type { SessionAreaRepositories } from '@cartrita/engine';
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { createCommandStore } from './command-store.js';
import { createEventStore } from './event-store.js';
import { createHandlerStore } from './handler-store.js';
import { createToolStore } from './tool-store.js';

/** The session area's repositories over a migrated database. */
export const createSessionAreaSqlRepositories = (db: Kysely<Database>): SessionAreaRepositories => ({
  commands: createCommandStore(db),
  events: createEventStore(db),
  tools: createToolStore(db),
  handlers: createHandlerStore(db),
});
