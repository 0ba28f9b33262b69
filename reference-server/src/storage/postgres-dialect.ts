import { PostgresDialect } from 'kysely';
import pg from 'pg';

/** Options for {@link createPostgresPool}, passed on to `pg.Pool`. */
export interface PostgresPoolOptions {
  /**
   * Most connections the pool opens.
   * @default 10
   */
  max?: number;
  /**
   * Closes a connection after it sat idle this long, in milliseconds.
   * @default 10000
   */
  idleTimeoutMillis?: number;
  /**
   * Called when an idle connection fails (the server restarted, say). The pool drops that connection and
   * opens a new one for the next query; by default the error is ignored.
   */
  onError?: (error: Error) => void;
}

const INT8_OID = 20;

/**
 * 64-bit integers (`bigint`, `count(*)`) arrive from `pg` as strings. Every one this schema holds (row
 * counters, byte sizes) fits in a double, so parse them as numbers, as SQLite returns them. The override
 * is per pool: the global `pg.types` registry is left alone.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && format !== 'binary') return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** Opens a `pg.Pool` for a `postgres://` or `postgresql://` URL. Connections open lazily. */
export function createPostgresPool(url: string, options: PostgresPoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    idleTimeoutMillis: options.idleTimeoutMillis ?? 10_000,
    types,
  });
  // An idle client that loses its connection emits `error` on the pool, which would crash the process
  // without a listener.
  pool.on('error', (error) => options.onError?.(error));
  return pool;
}

/** Builds Kysely's `PostgresDialect` over a pool. `Kysely#destroy()` ends the pool. */
export function createPostgresDialect(pool: pg.Pool): PostgresDialect {
  return new PostgresDialect({ pool });
}
