/** @module Every repository over one database: the areas' repositories, and what only the server keeps. */
import type {
  ChatKitRepositories,
  ChatRepositories,
  ComputerUseRepositories,
  ConfigAreaRepositories,
  EngineAreaRepositories,
  FileAreaRepositories,
  MemoryAreaRepositories,
  ObservabilityRepositories,
  PersonaAreaRepositories,
  Repositories,
  SessionAreaRepositories,
} from '@cartrita/engine';
import type { Kysely } from 'kysely';
import { createChatSqlRepositories } from '../areas/chat/sql-repository.js';
import { createChatKitSqlRepositories } from '../areas/chatkit/sql-repository.js';
import { createComputerUseSqlRepositories } from '../areas/computer-use/sql-repository.js';
import { createConfigAreaSqlRepositories } from '../areas/config/sql-repository.js';
import { createEngineAreaSqlRepositories } from '../areas/engines/sql-repository.js';
import { createFileAreaSqlRepositories } from '../areas/files/sql-repository.js';
import { createMemoryAreaSqlRepositories } from '../areas/memory/sql-repository.js';
import { createObservabilitySqlRepositories } from '../areas/observability/sql-repository.js';
import { createPersonaAreaSqlRepositories } from '../areas/personas/sql-repository.js';
import { createSessionAreaSqlRepositories } from '../areas/sessions/sql-repository.js';
import { createIdempotencyStore, type IdempotencyStore } from './idempotency-store.js';
import type { Database } from './schema.js';

/** Every repository over one database: the only way the rest of the server reaches stored data. */
export interface Store
  extends ChatKitRepositories,
    ChatRepositories,
    SessionAreaRepositories,
    EngineAreaRepositories,
    ObservabilityRepositories,
    MemoryAreaRepositories,
    ConfigAreaRepositories,
    FileAreaRepositories,
    PersonaAreaRepositories,
    ComputerUseRepositories {
  /** Idempotency keys of HTTP requests: the server's alone. */
  readonly idempotency: IdempotencyStore;
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
    ...createChatKitSqlRepositories(db),
    ...createChatSqlRepositories(db),
    ...createSessionAreaSqlRepositories(db),
    ...createEngineAreaSqlRepositories(db),
    ...createObservabilitySqlRepositories(db),
    ...createMemoryAreaSqlRepositories(db),
    ...createConfigAreaSqlRepositories(db),
    ...createFileAreaSqlRepositories(db),
    ...createPersonaAreaSqlRepositories(db),
    ...createComputerUseSqlRepositories(db),
    idempotency: createIdempotencyStore(db),
  };
}

/** The store as the engine takes it: by area. */
export const repositoriesOf = (store: Store): Repositories => ({
  chatkit: store,
  chat: store,
  sessions: store,
  engines: store,
  observability: store,
  memory: store,
  config: store,
  files: store,
  personas: store,
  computerUse: store,
});
