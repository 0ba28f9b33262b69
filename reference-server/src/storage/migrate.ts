import type { Kysely } from 'kysely';
import { type Migration, type MigrationResult, Migrator } from 'kysely/migration';
import { engineColumns } from './engine-columns.js';
import { initialMigration } from './migrations/0001-initial.js';
import { chatResponsesMigration } from './migrations/0002-chat-responses.js';
import { llmgineMigration } from './migrations/0003-llmgine.js';
import { observabilityMigration } from './migrations/0004-observability.js';
import { filesMigration } from './migrations/0005-files.js';
import { memoryConfigMigration } from './migrations/0006-memory-config.js';
import { personasMigration } from './migrations/0007-personas.js';
import { conversationsMigration } from './migrations/0008-conversations.js';
import { computerUseMigration } from './migrations/0009-computer-use.js';
import { chatFrameLogMigration } from './migrations/0010-chat-frame-log.js';
import type { EngineMigration } from './migrations/engine-migration.js';
import type { Engine } from './schema.js';

/**
 * Every migration, by name, in the order they run. Names sort in that order; append new ones
 * (`0002-...`) and never edit one that has shipped.
 */
export const migrations: Readonly<Record<string, EngineMigration>> = {
  '0001-initial': initialMigration,
  '0002-chat-responses': chatResponsesMigration,
  '0003-llmgine': llmgineMigration,
  '0004-observability': observabilityMigration,
  '0005-files': filesMigration,
  '0006-memory-config': memoryConfigMigration,
  '0007-personas': personasMigration,
  '0008-conversations': conversationsMigration,
  '0009-computer-use': computerUseMigration,
  '0010-chat-frame-log': chatFrameLogMigration,
};

/** Options for {@link createMigrator} and {@link migrateToLatest}. */
export interface MigrateOptions {
  /**
   * PostgreSQL schema of Kysely's bookkeeping tables: the schema the migrations create tables in (the
   * first of `search_path`). Without it Kysely would take a `kysely_migration` table in any other schema
   * of the database for its own.
   */
  schema?: string;
}

/** Builds a Kysely `Migrator` over {@link migrations} for one engine. */
export function createMigrator<DB>(db: Kysely<DB>, engine: Engine, options: MigrateOptions = {}): Migrator {
  const columns = engineColumns(engine);
  const resolved: Record<string, Migration> = {};
  for (const [name, migration] of Object.entries(migrations)) {
    const down = migration.down;
    resolved[name] = {
      up: (db) => migration.up(db, columns),
      ...(down ? { down: (db: Kysely<unknown>) => down(db, columns) } : {}),
    };
  }
  return new Migrator({
    db,
    provider: { getMigrations: async () => resolved },
    ...(options.schema === undefined ? {} : { migrationTableSchema: options.schema }),
  });
}

/** Thrown when a migration fails; the database is left at the last migration that succeeded. */
export class MigrationError extends Error {
  /** The migrations that ran, with their status. */
  readonly results: readonly MigrationResult[];

  constructor(error: unknown, results: readonly MigrationResult[]) {
    const failed = results.find((result) => result.status === 'Error')?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    super(failed ? `Migration ${failed} failed: ${reason}` : `Migrating the database failed: ${reason}`, {
      cause: error,
    });
    this.name = 'MigrationError';
    this.results = results;
  }
}

/**
 * Runs every pending migration and returns the names of those it ran. On PostgreSQL, Kysely's migrator
 * holds a session-level advisory lock (`pg_advisory_lock`) while it works and runs the migrations in one
 * transaction, so servers starting together migrate once, one after another. On SQLite the caller holds
 * the lock (see `openDatabase`, which wraps this in `begin immediate`).
 *
 * @throws {MigrationError} when a migration fails.
 */
export async function migrateToLatest<DB>(
  db: Kysely<DB>,
  engine: Engine,
  options: MigrateOptions = {},
): Promise<string[]> {
  const { error, results = [] } = await createMigrator(db, engine, options).migrateToLatest();
  if (error) throw new MigrationError(error, results);
  return results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
