import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, inject, it } from 'vitest';
import {
  provideSystemPackages,
  requirements,
  type System,
  type SystemRequirement,
} from '../../scripts/system-packages.js';

const script = fileURLToPath(new URL('../../scripts/system-packages.ts', import.meta.url));

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'cartrita-system-'));
  dirs.push(dir);
  return dir;
};

/** Packages that are there or not, as a stand-in machine says; `apt-get install` adds them. */
const fakeMachine = (options: { uid: number; missing: string[]; failing?: string; installs?: boolean }) => {
  const names = ['chromium', 'postgresql', 'redis-server'];
  const installed = new Set(names.filter((name) => !options.missing.includes(name)));
  const needs: SystemRequirement[] = names.map((name) => ({
    debianPackage: name,
    present: () => installed.has(name),
  }));
  const commands: string[] = [];
  const out: string[] = [];
  const err: string[] = [];
  const system: System = {
    env: { PATH: '/usr/bin' },
    uid: () => options.uid,
    run(command, args, env) {
      commands.push(`${env.DEBIAN_FRONTEND} ${command} ${args.join(' ')}`);
      if (args[0] === options.failing) return 100;
      if (args[0] === 'install' && options.installs !== false)
        for (const name of args.slice(2)) installed.add(name);
      return 0;
    },
    say: (line) => out.push(line),
    complain: (line) => err.push(line),
  };
  return { run: () => provideSystemPackages(system, needs), commands, out, err };
};

describe('the decision', () => {
  it('does nothing when every package is there, as root or not', () => {
    for (const uid of [0, 1000]) {
      const machine = fakeMachine({ uid, missing: [] });
      expect(machine.run()).toBe(0);
      expect([machine.commands, machine.out, machine.err]).toEqual([[], [], []]);
    }
  });

  it('stops at once as another user, naming in one line what to install', () => {
    const machine = fakeMachine({ uid: 1000, missing: ['chromium', 'postgresql', 'redis-server'] });
    expect(machine.run()).toBe(1);
    expect(machine.commands).toEqual([]);
    expect(machine.out).toEqual([]);
    expect(machine.err).toEqual([
      "Install Debian's chromium, postgresql and redis-server packages (apt-get install chromium postgresql redis-server), or run the tests as root.",
    ]);
  });

  it('installs what is missing as root: apt-get update, then apt-get install -y, non-interactively', () => {
    const machine = fakeMachine({ uid: 0, missing: ['chromium', 'postgresql', 'redis-server'] });
    expect(machine.run()).toBe(0);
    expect(machine.commands).toEqual([
      'noninteractive apt-get update',
      'noninteractive apt-get install -y chromium postgresql redis-server',
    ]);
    expect(machine.out).toEqual([
      "Installing Debian's chromium, postgresql and redis-server packages for the tests (apt-get install chromium postgresql redis-server).",
    ]);
    expect(machine.err).toEqual([]);
  });

  it('installs only the packages that are missing', () => {
    const machine = fakeMachine({ uid: 0, missing: ['postgresql'] });
    expect(machine.run()).toBe(0);
    expect(machine.commands).toEqual([
      'noninteractive apt-get update',
      'noninteractive apt-get install -y postgresql',
    ]);
  });

  it('stops at the apt-get step that fails, with one line', () => {
    const update = fakeMachine({ uid: 0, missing: ['chromium'], failing: 'update' });
    expect(update.run()).toBe(1);
    expect(update.commands).toEqual(['noninteractive apt-get update']);
    expect(update.err).toEqual([
      "apt-get update failed (exit status 100): install Debian's chromium package by hand.",
    ]);
    const install = fakeMachine({ uid: 0, missing: ['chromium'], failing: 'install' });
    expect(install.run()).toBe(1);
    expect(install.err).toEqual([
      "apt-get install failed (exit status 100): install Debian's chromium package by hand.",
    ]);
  });

  it('fails when the installed packages still do not provide what the tests use', () => {
    const machine = fakeMachine({ uid: 0, missing: ['postgresql'], installs: false });
    expect(machine.run()).toBe(1);
    expect(machine.err).toEqual([
      "Installing Debian's postgresql package did not provide what the tests use: postgresql.",
    ]);
  });
});

describe('the probes', () => {
  const chromium = requirements.find((need) => need.debianPackage === 'chromium') as SystemRequirement;
  const postgresql = requirements.find((need) => need.debianPackage === 'postgresql') as SystemRequirement;
  const redis = requirements.find((need) => need.debianPackage === 'redis-server') as SystemRequirement;

  it('asks for chromium, postgresql and redis-server, in that order', () => {
    expect(requirements.map((need) => need.debianPackage)).toEqual([
      'chromium',
      'postgresql',
      'redis-server',
    ]);
  });

  it('finds Chromium at CHROMIUM_PATH when it is set, and only if it is an executable', () => {
    const dir = tempDir();
    const browser = join(dir, 'chromium');
    expect(chromium.present({ CHROMIUM_PATH: browser })).toBe(false);
    writeFileSync(browser, '#!/bin/sh\n');
    expect(chromium.present({ CHROMIUM_PATH: browser })).toBe(false);
    chmodSync(browser, 0o755);
    expect(chromium.present({ CHROMIUM_PATH: browser })).toBe(true);
  });

  it('needs no PostgreSQL server binaries when CARTRITA_TEST_PG_URL names a server', () => {
    expect(postgresql.present({ CARTRITA_TEST_PG_URL: 'postgres://postgres@db.example:5432/postgres' })).toBe(
      true,
    );
  });

  it('finds redis-server on PATH, and only if it is an executable', () => {
    const dir = tempDir();
    const server = join(dir, 'redis-server');
    expect(redis.present({ PATH: dir })).toBe(false);
    writeFileSync(server, '#!/bin/sh\n');
    expect(redis.present({ PATH: dir })).toBe(false);
    chmodSync(server, 0o755);
    expect(redis.present({ PATH: `/nonexistent${delimiter}${dir}` })).toBe(true);
  });

  it('needs no redis-server when CARTRITA_TEST_REDIS_URL names a Redis', () => {
    expect(redis.present({ PATH: tempDir(), CARTRITA_TEST_REDIS_URL: 'redis://cache.example:6379' })).toBe(
      true,
    );
  });
});

/**
 * Runs the script as the test command does, with `bin` first on `PATH`: stand-ins for `id` and
 * `apt-get` there replace the real ones.
 */
const runScript = (bin: string, env: Record<string, string> = {}) => {
  const base = { ...process.env };
  // The global setup names the cluster it started from this machine's binaries; the script must find
  // the binaries themselves.
  if (inject('cartritaPgStatusFile') !== '') delete base.CARTRITA_TEST_PG_URL;
  const result = spawnSync(process.execPath, [script], {
    encoding: 'utf8',
    env: { ...base, ...env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` },
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};

/** A folder with an `apt-get` stand-in that logs each call (frontend, stdin, arguments) and, on `install`, puts an executable at `CHROMIUM_PATH`; and, given a uid, an `id` stand-in. */
const standIns = (uid?: number) => {
  const bin = tempDir();
  const log = join(bin, 'apt-get.log');
  writeFileSync(
    join(bin, 'apt-get'),
    `#!/bin/sh
echo "$DEBIAN_FRONTEND $(readlink /proc/self/fd/0) $*" >> '${log}'
if [ "$1" = install ] && [ -n "$CHROMIUM_PATH" ]; then printf '#!/bin/sh\\n' > "$CHROMIUM_PATH"; chmod +x "$CHROMIUM_PATH"; fi
`,
    { mode: 0o755 },
  );
  if (uid !== undefined) writeFileSync(join(bin, 'id'), `#!/bin/sh\necho ${uid}\n`, { mode: 0o755 });
  const calls = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);
  return { bin, calls };
};

describe('the script', () => {
  it('finds everything installed on this machine and does nothing', () => {
    const { bin, calls } = standIns();
    expect(runScript(bin)).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(calls()).toEqual([]);
  });

  it('stops at once for another user, with one line naming the package', () => {
    const { bin, calls } = standIns(1000);
    const missing = join(tempDir(), 'chromium');
    expect(runScript(bin, { CHROMIUM_PATH: missing })).toEqual({
      status: 1,
      stdout: '',
      stderr: "Install Debian's chromium package (apt-get install chromium), or run the tests as root.\n",
    });
    expect(calls()).toEqual([]);
  });

  it('installs a missing package as root with apt-get, with stdin closed', () => {
    const { bin, calls } = standIns(0);
    const browser = join(tempDir(), 'chromium');
    expect(runScript(bin, { CHROMIUM_PATH: browser })).toEqual({
      status: 0,
      stdout: "Installing Debian's chromium package for the tests (apt-get install chromium).\n",
      stderr: '',
    });
    expect(calls()).toEqual([
      'noninteractive /dev/null update',
      'noninteractive /dev/null install -y chromium',
    ]);
  });
});
