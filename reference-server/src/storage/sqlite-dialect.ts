import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import {
  type DatabaseConnection,
  type Driver,
  SqliteAdapter,
  type SqliteDatabase,
  SqliteDialect,
  SqliteDriver,
  type SqliteStatement,
} from 'kysely';

/** Options for {@link openSqlite}. */
export interface SqliteOpenOptions {
  /**
   * How long a statement waits for another process's write lock before failing with `SQLITE_BUSY`, in
   * milliseconds.
   * @default 5000
   */
  busyTimeoutMs?: number;
}

/**
 * Opens (creating it and its directory when missing) an SQLite file with the settings the server relies
 * on: WAL journaling (readers never block the writer), `synchronous=NORMAL` (in WAL mode a committed
 * transaction survives the process being killed; only an OS crash or power loss can drop the last few),
 * foreign keys enforced, and a busy timeout so two processes wait for each other instead of failing.
 * `:memory:` opens a private in-memory database, for tests.
 */
export function openSqlite(path: string, options: SqliteOpenOptions = {}): DatabaseSync {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new DatabaseSync(path, { timeout: options.busyTimeoutMs ?? 5000 });
  try {
    if (path !== ':memory:') database.exec('pragma journal_mode = wal');
    database.exec('pragma synchronous = normal');
    database.exec('pragma foreign_keys = on');
  } catch (error) {
    database.close();
    throw error;
  }
  return database;
}

/**
 * Adapts `node:sqlite`'s `DatabaseSync` to the database interface Kysely's `SqliteDialect` expects
 * (better-sqlite3's shape: statements with a `reader` flag, and methods taking an array of parameters).
 */
export class NodeSqliteDatabase implements SqliteDatabase {
  readonly #database: DatabaseSync;
  /**
   * Prepared statements by their SQL, most recently used last. Kysely prepares every query it runs;
   * the server runs the same few hundred shapes over and over, and preparing costs more than most
   * of them take to run.
   */
  readonly #statements = new Map<string, NodeSqliteStatement>();

  constructor(database: DatabaseSync) {
    this.#database = database;
  }

  /** Closes the database, if still open. */
  close(): void {
    if (this.#database.isOpen) this.#database.close();
  }

  /** Prepares a statement, or reuses the one prepared for the same SQL. */
  prepare(sql: string): SqliteStatement {
    let statement = this.#statements.get(sql);
    if (statement) {
      this.#statements.delete(sql);
    } else {
      statement = new NodeSqliteStatement(this.#database.prepare(sql));
      if (this.#statements.size >= statementCacheSize) {
        this.#statements.delete(this.#statements.keys().next().value as string);
      }
    }
    this.#statements.set(sql, statement);
    return statement;
  }
}

/** How many prepared statements a database keeps for reuse. */
const statementCacheSize = 500;

/** A statement; it reads rows when it has result columns (`select`, or `returning`). */
class NodeSqliteStatement implements SqliteStatement {
  readonly #statement: StatementSync;
  readonly reader: boolean;

  constructor(statement: StatementSync) {
    this.#statement = statement;
    // A statement that yields columns returns rows (`select`, or any statement with `returning`).
    this.reader = statement.columns().length > 0;
  }

  all(parameters: ReadonlyArray<unknown>): unknown[] {
    return this.#statement.all(...bind(parameters));
  }

  run(parameters: ReadonlyArray<unknown>): { changes: number | bigint; lastInsertRowid: number | bigint } {
    return this.#statement.run(...bind(parameters));
  }

  iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    return this.#statement.iterate(...bind(parameters));
  }
}

type SqliteValue = null | number | bigint | string | Uint8Array;

/** node:sqlite binds only null, numbers, bigints, strings and bytes; map the rest the way Kysely expects. */
function bind(parameters: ReadonlyArray<unknown>): SqliteValue[] {
  return parameters.map((value) => {
    if (value === undefined) return null;
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (value instanceof Date) return value.toISOString();
    return value as SqliteValue;
  });
}

/**
 * Lets one holder at a time through, the others in the order they asked. Releasing hands the lock to
 * the next waiter directly, so each release wakes exactly one of them.
 */
class FifoLock {
  #held = false;
  readonly #waiting: (() => void)[] = [];

  async acquire(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#held = false;
  }
}

/**
 * SQLite's one connection, handed to one query or transaction at a time, first come first served.
 * Kysely's own lock for single-connection dialects wakes every waiter on each release and lets them
 * race for it again: with thousands of queries waiting (a burst of requests) that is millions of
 * wake-ups, and some queries wait for many turns. This driver queues them instead; the adapter then
 * tells Kysely not to add its lock.
 */
class QueuedSqliteDriver extends SqliteDriver implements Driver {
  readonly #lock = new FifoLock();

  override async acquireConnection(): Promise<DatabaseConnection> {
    await this.#lock.acquire();
    return super.acquireConnection();
  }

  override async releaseConnection(): Promise<void> {
    this.#lock.release();
  }
}

/** SQLite's adapter, saying the driver already hands its connection out one holder at a time. */
class QueuedSqliteAdapter extends SqliteAdapter {
  override get supportsMultipleConnections(): boolean {
    return true;
  }
}

/** Kysely's SQLite dialect with {@link QueuedSqliteDriver}. */
class QueuedSqliteDialect extends SqliteDialect {
  readonly #database: SqliteDatabase;

  constructor(database: SqliteDatabase) {
    super({ database });
    this.#database = database;
  }

  override createDriver(): Driver {
    return new QueuedSqliteDriver({ database: this.#database });
  }

  override createAdapter(): SqliteAdapter {
    return new QueuedSqliteAdapter();
  }
}

/** Builds Kysely's `SqliteDialect` over a `node:sqlite` database. */
export function createSqliteDialect(database: DatabaseSync): SqliteDialect {
  return new QueuedSqliteDialect(new NodeSqliteDatabase(database));
}
