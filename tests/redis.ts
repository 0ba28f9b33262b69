/**
 * @module Throwaway Redis servers for tests and benchmarks: Debian's `redis-server` on a free port of
 * 127.0.0.1, in memory only, gone when stopped. It uses nothing but Node, so the benchmarks (plain
 * Node, no test runner) import it too.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** What to tell a developer whose machine has no `redis-server`. */
export const missingRedisMessage =
  'redis-server was not found on PATH. The scale-out tests (the Redis event bus and shared limits) start a ' +
  'throwaway one; install it with `apt-get install redis-server` (no running service is needed), or point ' +
  'CARTRITA_TEST_REDIS_URL at a Redis the tests may use.';

/** Finds the `redis-server` executable on `PATH`; `undefined` when there is none. */
export function findRedisServer(path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
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

/** A running throwaway Redis. */
export interface TestRedisServer {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Kills the server and deletes its directory. Synchronous, so it can run at exit; safe to call twice. */
  stop(): void;
}

/** Options of {@link startRedisServer}. */
export interface StartRedisOptions {
  /** The executable; default the `redis-server` on `PATH`. */
  bin?: string;
  /** How long to wait for "Ready to accept connections"; default 10 s. */
  timeoutMs?: number;
}

/**
 * Starts `redis-server` on a free port of 127.0.0.1 with no configuration file and no persistence
 * (`--save ''`, `--appendonly no`), its working directory a new temporary one, and resolves once it
 * says it accepts connections (about 10 ms). Rejects with its output when it exits or stays silent.
 *
 * @example
 * const redis = await startRedisServer();
 * onTestFinished(() => redis.stop());
 */
export async function startRedisServer(options: StartRedisOptions = {}): Promise<TestRedisServer> {
  const bin = options.bin ?? findRedisServer();
  if (!bin) throw new Error(missingRedisMessage);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'cartrita-redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    '--daemonize',
    'no',
    '--loglevel',
    'notice',
  ];
  const child: ChildProcess = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stopped = false;
  const stop = (): void => {
    if (!stopped) {
      stopped = true;
      child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`redis-server said nothing for ${timeoutMs} ms: ${output}`));
      }, timeoutMs);
      const read = (chunk: Buffer): void => {
        output += chunk.toString('utf8');
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', read);
      child.stderr?.on('data', read);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${signal ?? `code ${code}`}) before it was ready: ${output}`));
      });
    });
  } catch (error) {
    stop();
    throw error;
  }
  // It keeps logging; nobody reads it, and a full pipe must not stall it.
  child.stdout?.resume();
  child.stderr?.resume();
  child.removeAllListeners('exit');
  child.once('exit', () => {
    stopped = true;
  });
  return { url: `redis://127.0.0.1:${port}`, port, stop };
}
