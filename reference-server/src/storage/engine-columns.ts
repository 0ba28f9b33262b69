import type { ColumnDefinitionBuilder, CreateTableBuilder } from 'kysely';
import type { Engine } from './schema.js';

/**
 * The few column definitions that cannot be written once for both engines. Migrations call these and
 * otherwise use types both engines share (`text`, `integer`, `bigint`).
 */
export interface EngineColumns {
  /**
   * Adds `seq`, an auto-increment primary key that only grows: `integer primary key autoincrement` on
   * SQLite (never reuses a deleted value), `bigint generated always as identity` on PostgreSQL.
   */
  addSeq<T extends string>(table: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'seq'>;
  /** The column type for raw bytes: `blob` on SQLite, `bytea` on PostgreSQL. */
  readonly bytes: 'blob' | 'bytea';
  /** The engine, for the rare change one engine makes in place and the other by rebuilding a table. */
  readonly engine: Engine;
}

/** Returns the column definitions for one engine. */
export function engineColumns(engine: Engine): EngineColumns {
  const seq =
    engine === 'sqlite'
      ? (col: ColumnDefinitionBuilder) => col.primaryKey().autoIncrement()
      : (col: ColumnDefinitionBuilder) => col.primaryKey().generatedAlwaysAsIdentity();
  return {
    addSeq: (table) => table.addColumn('seq', engine === 'sqlite' ? 'integer' : 'bigint', seq),
    bytes: engine === 'sqlite' ? 'blob' : 'bytea',
    engine,
  };
}
