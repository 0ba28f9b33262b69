import type { Kysely } from 'kysely';
import type { EngineColumns } from '../engine-columns.js';

/**
 * A migration that runs on both engines. Like Kysely's `Migration`, but handed the engine's column
 * definitions for the few types that differ. Migrations take `Kysely<unknown>`: they must not depend on
 * the current `Database` type, which describes the schema after the last migration.
 */
export interface EngineMigration {
  up(db: Kysely<unknown>, columns: EngineColumns): Promise<void>;
  down?(db: Kysely<unknown>, columns: EngineColumns): Promise<void>;
}
