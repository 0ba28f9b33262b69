/**
 * @module The storage engines every storage-backed suite runs on, for `describe.each`. Each test gets a
 * database of its own: a fresh SQLite file in a temporary data directory, or a fresh schema (selected
 * through the URL's `search_path`) in a PostgreSQL database that this worker process creates once on the
 * server `tests/global-setup.ts` provides.
 *
 * @example
 * ```ts
 * describe.each(engines)('threads on $name', (engine) => {
 *   it('creates a thread', async () => {
 *     const { url, dataDir } = await engine.createDatabase();
 *     const storage = await openStorage({ url, dataDir }); // or openTestStorage(engine) from tests/storage.ts
 *     onTestFinished(() => storage.close());
 *   });
 * });
 * ```
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject, onTestFinished } from 'vitest';
import {
  createTestPostgresDatabase,
  createTestPostgresSchema,
  missingPostgresMessage,
  waitForPostgresCluster,
} from './postgres.js';

/** A database made for one test; removed after the test. */
export interface TestDatabase {
  /** `DATABASE_URL`-style address: `sqlite:///<dir>/cartrita.sqlite` or `postgres://...`. */
  readonly url: string;
  /** An empty temporary data directory (blobs, and the SQLite file), removed after the test. */
  readonly dataDir: string;
}

/** One storage engine under test. */
export interface TestEngine {
  /** The engine's name, for test titles (`$name` in `describe.each`). */
  readonly name: 'sqlite' | 'postgres';
  /**
   * Creates an empty database and data directory for the calling test and registers their removal with
   * `onTestFinished`. Close what you open on it with an `onTestFinished` registered after this call:
   * those run first.
   */
  createDatabase(): Promise<TestDatabase>;
}

function makeDataDir(): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'cartrita-test-'));
  onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
  return dataDir;
}

/**
 * The superuser URL of the test PostgreSQL server, once it accepts connections; throws, saying why, when
 * there is none.
 */
export async function postgresAdminUrl(): Promise<string> {
  const url = inject('cartritaPgUrl');
  if (!url) throw new Error(inject('cartritaPgError') || missingPostgresMessage);
  const statusFile = inject('cartritaPgStatusFile');
  if (statusFile) await waitForPostgresCluster(statusFile);
  return url;
}

let workerDatabase: Promise<string> | undefined;

/**
 * This worker's PostgreSQL database, created on first use and dropped by the global teardown (its name
 * carries the run's prefix). Tests of one worker run one after another, so they never wait for each
 * other's migration lock, which PostgreSQL scopes to a database.
 */
export function postgresWorkerDatabaseUrl(): Promise<string> {
  if (!workerDatabase) {
    const prefix = inject('cartritaPgPrefix') || 'cartrita_test_';
    const name = `${prefix}${process.pid}_${randomBytes(3).toString('hex')}`;
    workerDatabase = postgresAdminUrl()
      .then((adminUrl) => createTestPostgresDatabase(adminUrl, name))
      .then((database) => database.url);
    workerDatabase.catch(() => {
      workerDatabase = undefined;
    });
  }
  return workerDatabase;
}

/** SQLite on a temporary file. */
export const sqliteEngine: TestEngine = {
  name: 'sqlite',
  async createDatabase() {
    const dataDir = makeDataDir();
    return { url: `sqlite://${join(dataDir, 'cartrita.sqlite')}`, dataDir };
  },
};

/** A fresh schema in this worker's database on the test PostgreSQL server. */
export const postgresEngine: TestEngine = {
  name: 'postgres',
  async createDatabase() {
    const schema = await createTestPostgresSchema(await postgresWorkerDatabaseUrl());
    onTestFinished(() => schema.drop());
    return { url: schema.url, dataDir: makeDataDir() };
  },
};

/** Both engines, for `describe.each(engines)('... on $name', (engine) => ...)`. */
export const engines: readonly TestEngine[] = [sqliteEngine, postgresEngine];
