import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  SqliteAdapter,
  type SqliteDatabase,
  SqliteDialect,
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

/** The writes of one group commit: their callers hear of them once `committed` settles. */
interface WriteGroup {
  readonly committed: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

/** Query kinds that only change rows, and so may share a transaction with other such writes. */
const groupedKinds = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode']);

/**
 * SQLite's one connection, with group commit.
 *
 * A write outside a transaction (an insert, update or delete) does not commit on its own: it joins the
 * writes made since the last commit, in one transaction that commits once the event loop has handled
 * what is waiting (`setImmediate`). Its caller hears back after that commit, so a write is durable
 * when its promise resolves, as before; a failed statement still fails alone (SQLite undoes that
 * statement only), and when SQLite has to undo the whole transaction every caller in it is told.
 * Committing costs far more than most writes (each commit appends the pages it changed to the
 * write-ahead log, and takes and drops the file's locks): a burst of requests, each writing a few rows,
 * then pays for one commit a turn instead of one per row.
 *
 * A read sees the group's writes, so it too waits for their commit. Any other statement (schema
 * changes, pragmas, raw SQL) and every explicit transaction first commits the group. Within a
 * transaction opened on the database itself, around Kysely (as migrations are), statements run as
 * they come.
 *
 * Statements and transactions get the connection one holder at a time, first come first served: a
 * transaction holds it from `begin` to its end. (Kysely's own lock for single-connection dialects wakes
 * every waiter on each release and lets them race for it again: with thousands of queries waiting that
 * is millions of wake-ups.) The adapter tells Kysely not to add that lock.
 */
class GroupCommitSqliteDriver implements Driver {
  readonly #raw: DatabaseSync;
  readonly #database: NodeSqliteDatabase;
  readonly #lock = new FifoLock();
  #group: WriteGroup | undefined;

  constructor(database: DatabaseSync) {
    this.#raw = database;
    this.#database = new NodeSqliteDatabase(database);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new GroupCommitConnection(this);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#lock.acquire();
    (connection as GroupCommitConnection).holdsLock = true;
    this.commitGroup();
    this.#raw.exec('begin');
  }

  async commitTransaction(): Promise<void> {
    this.#raw.exec('commit');
  }

  async rollbackTransaction(): Promise<void> {
    if (this.#raw.isTransaction) this.#raw.exec('rollback');
  }

  async savepoint(_connection: DatabaseConnection, name: string): Promise<void> {
    this.#raw.exec(`savepoint ${quoteName(name)}`);
  }

  async rollbackToSavepoint(_connection: DatabaseConnection, name: string): Promise<void> {
    this.#raw.exec(`rollback to ${quoteName(name)}`);
  }

  async releaseSavepoint(_connection: DatabaseConnection, name: string): Promise<void> {
    this.#raw.exec(`release ${quoteName(name)}`);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const held = connection as GroupCommitConnection;
    if (!held.holdsLock) return;
    held.holdsLock = false;
    this.#lock.release();
  }

  async destroy(): Promise<void> {
    this.commitGroup();
    this.#database.close();
  }

  /** Runs a statement of a transaction the caller holds. */
  inTransaction(query: CompiledQuery): QueryResult<unknown> {
    return this.#exec(query);
  }

  /** Runs a statement of no transaction: grouped with others when it only writes rows. */
  async alone(query: CompiledQuery): Promise<QueryResult<unknown>> {
    await this.#lock.acquire();
    let result: QueryResult<unknown>;
    let group: WriteGroup | undefined;
    try {
      // Inside a transaction the database's owner opened (`begin immediate` around migrations), statements
      // run as they come.
      const grouped = groupedKinds.has(query.query.kind) && (this.#group || !this.#raw.isTransaction);
      if (grouped && !this.#group) this.#openGroup();
      else if (!grouped && query.query.kind !== 'SelectQueryNode') this.commitGroup();
      group = this.#group;
      try {
        result = this.#exec(query);
      } catch (error) {
        // Most errors undo the statement alone; some (a full disk, a lost lock) undo the whole group.
        if (group && !this.#raw.isTransaction) this.#endGroup(error);
        throw error;
      }
    } finally {
      this.#lock.release();
    }
    if (group) await group.committed;
    return result;
  }

  /**
   * A select's rows one at a time. Outside a transaction the stream holds the connection until it
   * ends, after committing the open group, so it reads committed rows only.
   */
  async *stream(query: CompiledQuery, inTransaction: boolean): AsyncIterableIterator<QueryResult<unknown>> {
    if (query.query.kind !== 'SelectQueryNode') throw new Error('Only a select can be streamed on SQLite.');
    if (!inTransaction) {
      await this.#lock.acquire();
      this.commitGroup();
    }
    try {
      for (const row of this.#database.prepare(query.sql).iterate(query.parameters)) yield { rows: [row] };
    } finally {
      if (!inTransaction) this.#lock.release();
    }
  }

  /** Commits the open group of writes, if any, and tells their callers how it went. */
  commitGroup(): void {
    if (!this.#group) return;
    try {
      this.#raw.exec('commit');
      this.#endGroup();
    } catch (error) {
      if (this.#raw.isTransaction) this.#raw.exec('rollback');
      this.#endGroup(error);
    }
  }

  #openGroup(): void {
    // `immediate` takes the write lock now (waiting up to the busy timeout for another process) rather
    // than at the first write, where another process's commit in between would fail the upgrade.
    this.#raw.exec('begin immediate');
    let settle!: Pick<WriteGroup, 'resolve' | 'reject'>;
    const promise = new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
    // Nobody may be waiting yet when a statement of the group fails the whole group.
    promise.catch(() => {});
    this.#group = { committed: promise, ...settle };
    setImmediate(() => {
      if (this.#group?.committed !== promise) return;
      void this.#lock.acquire().then(() => {
        try {
          if (this.#group?.committed === promise) this.commitGroup();
        } finally {
          this.#lock.release();
        }
      });
    });
  }

  #endGroup(error?: unknown): void {
    const group = this.#group;
    this.#group = undefined;
    if (error === undefined) group?.resolve();
    else group?.reject(error);
  }

  #exec(query: CompiledQuery): QueryResult<unknown> {
    const statement = this.#database.prepare(query.sql);
    if (statement.reader) return { rows: statement.all(query.parameters) };
    const { changes, lastInsertRowid } = statement.run(query.parameters);
    return {
      insertId: lastInsertRowid == null ? undefined : BigInt(lastInsertRowid),
      numAffectedRows: changes == null ? undefined : BigInt(changes),
      rows: [],
    };
  }
}

/** An SQL identifier, quoted. */
const quoteName = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** One holder's view of the connection: a transaction's (after `begin`), or single statements'. */
class GroupCommitConnection implements DatabaseConnection {
  readonly #driver: GroupCommitSqliteDriver;
  /** Whether this holder is in a transaction and so holds the connection's lock. */
  holdsLock = false;

  constructor(driver: GroupCommitSqliteDriver) {
    this.#driver = driver;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return (
      this.holdsLock ? this.#driver.inTransaction(query) : await this.#driver.alone(query)
    ) as QueryResult<R>;
  }

  streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    return this.#driver.stream(query, this.holdsLock) as AsyncIterableIterator<QueryResult<R>>;
  }
}

/** SQLite's adapter, saying the driver already hands its connection out one holder at a time. */
class QueuedSqliteAdapter extends SqliteAdapter {
  override get supportsMultipleConnections(): boolean {
    return true;
  }
}

/** Kysely's SQLite dialect with {@link GroupCommitSqliteDriver}. */
class GroupCommitSqliteDialect extends SqliteDialect {
  readonly #database: DatabaseSync;

  constructor(database: DatabaseSync) {
    super({ database: new NodeSqliteDatabase(database) });
    this.#database = database;
  }

  override createDriver(): Driver {
    return new GroupCommitSqliteDriver(this.#database);
  }

  override createAdapter(): SqliteAdapter {
    return new QueuedSqliteAdapter();
  }
}

/** Builds Kysely's `SqliteDialect` over a `node:sqlite` database. */
export function createSqliteDialect(database: DatabaseSync): SqliteDialect {
  return new GroupCommitSqliteDialect(database);
}
