/**
 * @module The first step of the test command: makes sure the machine has the Debian packages the tests
 * need. Missing packages are installed with apt-get when the command runs as root; otherwise it stops
 * at once with one line naming what to install. Run by Node directly (`node scripts/system-packages.ts`).
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Something the tests need from the system, and the Debian package that provides it. */
export interface SystemRequirement {
  /** The Debian package to install when it is missing. */
  debianPackage: string;
  /** Whether the machine already has what the tests use. */
  present(env: NodeJS.ProcessEnv): boolean;
}

const isExecutable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** Whether an executable named `name` is on `PATH`. */
export const onPath = (name: string, env: NodeJS.ProcessEnv): boolean =>
  (env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && isExecutable(join(dir, name)));

/**
 * Whether PostgreSQL's server binaries are where the tests look for them (tests/postgres.ts): a
 * Debian install under `/usr/lib/postgresql/<major>/bin`, or `initdb` and `pg_ctl` on `PATH`.
 */
const hasPostgresServer = (env: NodeJS.ProcessEnv): boolean => {
  const root = '/usr/lib/postgresql';
  if (
    existsSync(root) &&
    readdirSync(root).some((major) => isExecutable(join(root, major, 'bin', 'initdb')))
  ) {
    return true;
  }
  return onPath('initdb', env) && onPath('pg_ctl', env);
};

/** What the tests need from the system. Adding one is one line. */
export const requirements: readonly SystemRequirement[] = [
  // The widget's browser tests drive Chromium (tests/widget/browser.ts): CHROMIUM_PATH, else Debian's.
  { debianPackage: 'chromium', present: (env) => isExecutable(env.CHROMIUM_PATH ?? '/usr/bin/chromium') },
  // The storage tests start a throwaway cluster, unless CARTRITA_TEST_PG_URL names a server to use.
  {
    debianPackage: 'postgresql',
    present: (env) => Boolean(env.CARTRITA_TEST_PG_URL) || hasPostgresServer(env),
  },
  // The scale-out tests start a throwaway Redis (tests/redis.ts), unless CARTRITA_TEST_REDIS_URL names one.
  {
    debianPackage: 'redis-server',
    present: (env) => Boolean(env.CARTRITA_TEST_REDIS_URL) || onPath('redis-server', env),
  },
];

/** What this machine lets the step do, so tests can stand in for it. */
export interface System {
  env: NodeJS.ProcessEnv;
  /** The user id the command runs as (`id -u`); `undefined` when it cannot be told. */
  uid(): number | undefined;
  /** Runs a command with stdin closed and its output shown; returns its exit status, or the error that kept it from running. */
  run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): number | Error;
  /** Writes a line to standard output. */
  say(line: string): void;
  /** Writes a line to standard error. */
  complain(line: string): void;
}

/** `a`, `a and b`, `a, b and c`. */
const list = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

/** The packages named as a sentence does: `Debian's chromium package`, `Debian's a and b packages`. */
const describePackages = (packages: readonly string[]): string =>
  `Debian's ${list(packages)} package${packages.length === 1 ? '' : 's'}`;

/**
 * Provides the missing packages, or says what to install. Returns the exit code: 0 when everything
 * the tests need is there (now), 1 otherwise, with one line on standard error saying why.
 */
export const provideSystemPackages = (
  system: System,
  needs: readonly SystemRequirement[] = requirements,
): number => {
  const missing = () => needs.filter((need) => !need.present(system.env)).map((need) => need.debianPackage);
  const packages = missing();
  if (packages.length === 0) return 0;
  const install = `apt-get install ${packages.join(' ')}`;
  if (system.uid() !== 0) {
    system.complain(`Install ${describePackages(packages)} (${install}), or run the tests as root.`);
    return 1;
  }
  system.say(`Installing ${describePackages(packages)} for the tests (${install}).`);
  const env = { ...system.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', ...packages]]) {
    const status = system.run('apt-get', args, env);
    if (status !== 0) {
      const why = status instanceof Error ? status.message : `exit status ${status}`;
      system.complain(`apt-get ${args[0]} failed (${why}): install ${describePackages(packages)} by hand.`);
      return 1;
    }
  }
  const still = missing();
  if (still.length > 0) {
    system.complain(
      `Installing ${describePackages(packages)} did not provide what the tests use: ${list(still)}.`,
    );
    return 1;
  }
  return 0;
};

/** The real machine. */
const machine: System = {
  env: process.env,
  uid() {
    const id = spawnSync('id', ['-u'], { encoding: 'utf8' });
    const printed = Number.parseInt(id.stdout ?? '', 10);
    return id.status === 0 && Number.isInteger(printed) ? printed : process.getuid?.();
  },
  run(command, args, env) {
    const result: SpawnSyncReturns<Buffer> = spawnSync(command, args, {
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    return result.error ?? result.status ?? 1;
  },
  say: (line) => console.log(line),
  complain: (line) => console.error(line),
};

if (import.meta.main) process.exitCode = provideSystemPackages(machine);
