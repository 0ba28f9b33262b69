import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kysely, sql } from 'kysely';
import { migrateToLatest } from './migrate.js';
import type { PostgresPoolOptions } from './postgres-dialect.js';
import type { Database, Engine } from './schema.js';
import { createSqliteDialect, openSqlite } from './sqlite-dialect.js';

/** The SQLite file used when no URL is given, inside the data directory. */
export const DEFAULT_SQLITE_FILE = 'cartrita.sqlite';

/** Options for {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /**
   * Where the data lives (`DATABASE_URL`): `postgres://` or `postgresql://` for PostgreSQL; `sqlite://<path>`
   * (`sqlite:///var/lib/cartrita/db.sqlite`), a `file:` URL, a plain file path or `:memory:` for SQLite.
   * @default SQLite in `<dataDir>/cartrita.sqlite`
   */
  url?: string;
  /** The server's data directory; created when missing. */
  dataDir: string;
  /**
   * Run pending migrations before returning.
   * @default true
   */
  migrate?: boolean;
  /** Pool settings, for PostgreSQL. */
  pool?: PostgresPoolOptions;
}

/** An open, migrated database. */
export interface OpenedDatabase {
  readonly db: Kysely<Database>;
  readonly engine: Engine;
  /** Where it is, for logs: the SQLite path, or the PostgreSQL URL without its password. */
  readonly location: string;
  /** Closes the SQLite file or ends the PostgreSQL pool. Safe to call more than once. */
  close(): Promise<void>;
}

/** Where {@link parseDatabaseUrl} says the data lives. */
export type DatabaseTarget = { engine: 'sqlite'; path: string } | { engine: 'postgres'; url: string };

/**
 * Decides the engine and location from a `DATABASE_URL`-style string.
 *
 * @throws {TypeError} for a URL scheme that is neither SQLite nor PostgreSQL.
 */
export function parseDatabaseUrl(url: string | undefined, dataDir: string): DatabaseTarget {
  const value = url?.trim() ?? '';
  if (value === '') return { engine: 'sqlite', path: resolve(dataDir, DEFAULT_SQLITE_FILE) };
  if (/^postgres(?:ql)?:\/\//i.test(value)) return { engine: 'postgres', url: value };
  if (/^file:/i.test(value)) return { engine: 'sqlite', path: fileURLToPath(value) };
  const sqlite = /^sqlite:(?:\/\/)?(.*)$/i.exec(value);
  if (sqlite) {
    const path = decodeURIComponent(sqlite[1] ?? '');
    if (path === '') return { engine: 'sqlite', path: resolve(dataDir, DEFAULT_SQLITE_FILE) };
    return { engine: 'sqlite', path: path === ':memory:' ? path : resolve(path) };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new TypeError(
      `Unsupported database URL scheme in ${JSON.stringify(value.split('://')[0])}: use postgres://, sqlite:// or a file path.`,
    );
  }
  return { engine: 'sqlite', path: value === ':memory:' ? value : resolve(value) };
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

// Opens of one SQLite file within this process, chained so they migrate one at a time: `begin immediate`
// blocks the whole thread while another connection of the same process holds the write lock.
const sqliteOpens = new Map<string, Promise<unknown>>();

async function openSqliteDatabase(path: string, migrate: boolean): Promise<OpenedDatabase> {
  const database = openSqlite(path);
  const db = new Kysely<Database>({ dialect: createSqliteDialect(database) });
  let closed = false;
  const opened: OpenedDatabase = {
    db,
    engine: 'sqlite',
    location: path,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
      if (database.isOpen) database.close();
    },
  };
  if (!migrate) return opened;
  try {
    // Kysely's migrator takes no lock on SQLite; `begin immediate` takes the file's write lock (waiting out
    // another process's migration through the busy timeout) and makes the migration all-or-nothing.
    database.exec('begin immediate');
    try {
      await migrateToLatest(db, 'sqlite');
      database.exec('commit');
    } catch (error) {
      if (database.isTransaction) database.exec('rollback');
      throw error;
    }
  } catch (error) {
    await opened.close();
    throw error;
  }
  return opened;
}

async function openPostgresDatabase(
  url: string,
  migrate: boolean,
  pool: PostgresPoolOptions | undefined,
): Promise<OpenedDatabase> {
  // Loaded on demand: a server on the default SQLite never pays for importing `pg`.
  const { createPostgresDialect, createPostgresPool } = await import('./postgres-dialect.js');
  const db = new Kysely<Database>({ dialect: createPostgresDialect(createPostgresPool(url, pool)) });
  let closed = false;
  const opened: OpenedDatabase = {
    db,
    engine: 'postgres',
    location: redact(url),
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
  if (!migrate) return opened;
  try {
    const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
    const schema = rows[0]?.schema;
    if (!schema) {
      throw new Error(`No schema of the search_path exists in ${opened.location}; create it first.`);
    }
    await migrateToLatest(db, 'postgres', { schema });
  } catch (error) {
    await opened.close();
    throw error;
  }
  return opened;
}

/**
 * Opens the database named by `url` (SQLite by default, in the data directory) and brings its schema up
 * to date. Servers sharing one PostgreSQL database, or processes sharing one SQLite file, may open it at
 * the same time: migrations run once, under a lock.
 *
 * @example
 * ```ts
 * const database = await openDatabase({ url: process.env.DATABASE_URL, dataDir: '.data' });
 * try {
 *   // createStore(database.db) ...
 * } finally {
 *   await database.close();
 * }
 * ```
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  const target = parseDatabaseUrl(options.url, options.dataDir);
  const migrate = options.migrate ?? true;
  if (target.engine === 'postgres') return openPostgresDatabase(target.url, migrate, options.pool);
  if (target.path === ':memory:') return openSqliteDatabase(target.path, migrate);
  const previous = sqliteOpens.get(target.path) ?? Promise.resolve();
  const current = previous.catch(() => {}).then(() => openSqliteDatabase(target.path, migrate));
  sqliteOpens.set(target.path, current);
  try {
    return await current;
  } finally {
    if (sqliteOpens.get(target.path) === current) sqliteOpens.delete(target.path);
  }
}
