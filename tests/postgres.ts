/**
 * @module Throwaway PostgreSQL clusters and databases for tests: find Debian's server binaries, start a
 * cluster in a temporary directory, and create (then drop) one database per test.
 */
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { createPostgresPool } from '../reference-server/src/storage/postgres-dialect.js';

const execFileAsync = promisify(execFile);

/** What to tell a developer whose machine has no PostgreSQL server binaries. */
export const missingPostgresMessage =
  'PostgreSQL server binaries were not found (looked for /usr/lib/postgresql/*/bin/initdb and initdb on PATH). ' +
  'Storage tests run on both SQLite and PostgreSQL; install the server with `apt-get install postgresql` ' +
  '(no running service is needed), or point CARTRITA_TEST_PG_URL at a PostgreSQL you may create databases on.';

/** A throwaway cluster being started (or running). */
export interface PostgresCluster {
  /** Superuser URL of the `postgres` database, e.g. `postgres://postgres@127.0.0.1:5433/postgres`. */
  readonly url: string;
  /** Settles when the server accepts connections, or rejects saying why it could not start. */
  readonly ready: Promise<void>;
  /**
   * A file that says the same to other processes (test workers): `ready`, or `error:` and the reason.
   * Read it with {@link waitForPostgresCluster}.
   */
  readonly statusFile: string;
  /** Stops the server (if it started) and deletes its directory. Synchronous, so it can run at exit. */
  stop(): void;
}
/**
 * Finds the directory holding `initdb`, `pg_ctl` and `postgres`: the newest Debian install under
 * `/usr/lib/postgresql/<major>/bin`, else whatever is on `PATH`. Returns `undefined` when there is none.
 */
export function findPostgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const majors = readdirSync(root)
      .filter((name) => /^\d+$/.test(name) && existsSync(join(root, name, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (majors[0] !== undefined) return join(root, majors[0], 'bin');
  }
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  return undefined;
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Looks up the uid and gid of an OS user from /etc/passwd. */
function osUser(name: string): { uid: number; gid: number } | undefined {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${name}:`));
  const fields = line?.split(':');
  if (!fields || fields.length < 4) return undefined;
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

/**
 * Starts a fresh cluster in the background and returns its URL at once: `initdb` into a new temporary
 * directory, then `pg_ctl start` on a free port of 127.0.0.1 with its unix socket inside that directory.
 * PostgreSQL refuses to run as root, so as root the directory is handed to the `postgres` OS user and
 * every command runs through `runuser`. Durability settings are off: the cluster lives for one test run.
 * The commands run asynchronously (about 2 s, mostly `initdb`), so a test run that never touches
 * PostgreSQL does not wait for it.
 */
export async function launchPostgresCluster(bin: string): Promise<PostgresCluster> {
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? osUser('postgres') : undefined;
  if (asRoot && !owner) {
    throw new Error('Running as root, but there is no `postgres` OS user to run the test cluster as.');
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'cartrita-pg-'));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const statusFile = join(dir, 'status');
  const report = (status: string): void => {
    // Written whole, then renamed, so a reader never sees half of it.
    writeFileSync(`${statusFile}.tmp`, status);
    renameSync(`${statusFile}.tmp`, statusFile);
  };
  const command = (tool: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
  const run = async (tool: string, args: string[]): Promise<void> => {
    const [file, argv] = command(tool, args);
    await execFileAsync(file, argv, { cwd: dir, timeout: 60_000 });
  };

  let state: 'starting' | 'started' | 'stopped' = 'starting';
  const stop = (): void => {
    if (state === 'started') {
      const [file, argv] = command('pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate']);
      spawnSync(file, argv, { stdio: 'ignore', timeout: 30_000 });
    }
    state = 'stopped';
    rmSync(dir, { recursive: true, force: true });
  };

  const start = async (): Promise<void> => {
    await run('initdb', [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C.UTF-8',
      '-N',
    ]);
    if (state === 'stopped') throw new Error('The test cluster was stopped while it was starting.');
    const options = [
      `-p ${port}`,
      `-k ${dir}`,
      "-c listen_addresses='127.0.0.1'",
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=300',
    ].join(' ');
    state = 'started';
    await run('pg_ctl', ['start', '-w', '-t', '30', '-D', dataDir, '-l', logFile, '-o', options]);
  };

  const ready = start().then(
    () => report('ready'),
    (error: unknown) => {
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
      const stderr = (error as { stderr?: string }).stderr ?? '';
      const message = `Could not start a PostgreSQL test cluster with ${bin}: ${stderr}${log}`;
      if (state !== 'stopped') report(`error:${message}`);
      stop();
      throw new Error(message, { cause: error });
    },
  );
  // The caller may only look at `ready` later; a failure is reported then, not as an unhandled rejection.
  ready.catch(() => {});
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, ready, statusFile, stop };
}

/**
 * Waits until a cluster started by another process (the global setup) is ready, reading its status file.
 *
 * @throws the reason it could not start, or a timeout.
 */
export async function waitForPostgresCluster(statusFile: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = existsSync(statusFile) ? readFileSync(statusFile, 'utf8') : '';
    if (status === 'ready') return;
    if (status.startsWith('error:')) throw new Error(status.slice('error:'.length));
    if (Date.now() > deadline) {
      throw new Error(`The PostgreSQL test cluster was not ready after ${timeoutMs} ms (${statusFile}).`);
    }
    await sleep(25);
  }
}

/** Returns `url` with its database name replaced. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** A database or schema created for tests. */
export interface TestPostgresTarget {
  /** URL of the new, empty database (or of a database with `search_path` set to the new schema). */
  readonly url: string;
  /** Drops it, ending any session still connected to a dropped database. */
  drop(): Promise<void>;
}

async function adminQuery(url: string, query: string): Promise<void> {
  const pool = createPostgresPool(url, { max: 1 });
  try {
    await pool.query(query);
  } finally {
    await pool.end();
  }
}

/**
 * Creates an empty database named `name` (default: random, `cartrita_test_...`) on the server that
 * `adminUrl` points at, which must be allowed to `CREATE DATABASE`.
 */
export async function createTestPostgresDatabase(
  adminUrl: string,
  name = `cartrita_test_${randomBytes(6).toString('hex')}`,
): Promise<TestPostgresTarget> {
  if (!/^[a-z0-9_]{1,63}$/.test(name)) throw new TypeError(`Unsafe database name: ${name}`);
  await adminQuery(adminUrl, `create database ${name}`);
  return {
    url: withDatabase(adminUrl, name),
    drop: () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`),
  };
}

/**
 * Creates an empty schema with a random name in the database `databaseUrl` points at, and returns a URL
 * whose connections use it (`options=-c search_path=<schema>`): as good as a fresh database for code that
 * names no schema, and far cheaper to make than one (about 1 ms against 150 ms).
 */
export async function createTestPostgresSchema(databaseUrl: string): Promise<TestPostgresTarget> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  await adminQuery(databaseUrl, `create schema ${name}`);
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${name}`);
  return {
    url: url.toString(),
    drop: () => adminQuery(databaseUrl, `drop schema if exists ${name} cascade`),
  };
}

/** Drops every database whose name starts with `prefix`, e.g. the ones one test run created. */
export async function dropTestPostgresDatabases(adminUrl: string, prefix: string): Promise<void> {
  if (!/^[a-z0-9_]+$/.test(prefix)) throw new TypeError(`Unsafe database name prefix: ${prefix}`);
  const pool = createPostgresPool(adminUrl, { max: 1 });
  try {
    const { rows } = await pool.query<{ datname: string }>(
      'select datname from pg_database where starts_with(datname, $1)',
      [prefix],
    );
    for (const { datname } of rows) await pool.query(`drop database if exists ${datname} with (force)`);
  } finally {
    await pool.end();
  }
}
