/**
 * Starts the built reference server (`reference-server/dist`) as a child process, so a test can see
 * whether the process survives what it is sent and read every line it logs. The test command builds
 * before running the tests.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

/** The built server's library entry, for programs that start it themselves. */
export const serverModule = fileURLToPath(new URL('../reference-server/dist/index.js', import.meta.url));
const cli = fileURLToPath(new URL('../reference-server/dist/cli.js', import.meta.url));

/** One JSON line of the server's log. */
export type LogLine = Record<string, unknown> & { level: number; msg?: string; err?: { message?: string } };

/** A server running in a child process. */
export interface ChildServer {
  url: string;
  child: ChildProcess;
  /** The JSON lines the server has logged so far. */
  log(): LogLine[];
  /** Everything it wrote, for failure messages. */
  output(): string;
}

/** Options of {@link startChildServer}. */
export interface ChildServerOptions {
  /** Settings by environment variable, over quiet test defaults (no rate limits, demo pace 0). */
  env?: Record<string, string>;
  /**
   * An ES module program to run instead of the CLI; it must print `listening on <url>` once it
   * listens (the CLI logs that line itself).
   */
  program?: string;
  /**
   * The data directory to use, kept when the test ends (to start a second server on the same
   * data); default a fresh one, removed when the test ends.
   */
  dataDir?: string;
}

/**
 * Starts the server in a child process on a free port of 127.0.0.1, with a fresh data directory,
 * logging at `info` as JSON lines; stops it (SIGKILL) and removes the directory when the test ends.
 */
export const startChildServer = async (options: ChildServerOptions = {}): Promise<ChildServer> => {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'cartrita-child-')));
  const args = options.program === undefined ? [cli] : ['--input-type=module', '-e', options.program];
  const child = spawn(process.execPath, args, {
    env: {
      PATH: process.env.PATH ?? '',
      API_HOST: '127.0.0.1',
      API_PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      DEMO_PACE_MS: '0',
      RATE_LIMIT_PER_MINUTE: '0',
      RATE_LIMIT_AUTHENTICATED_PER_MINUTE: '0',
      AUTH_FAILURES_PER_MINUTE: '0',
      WS_CONNECTIONS_PER_MINUTE: '0',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
  });
  let output = '';
  child.stdout?.on('data', (data: Buffer) => {
    output += data.toString();
  });
  child.stderr?.on('data', (data: Buffer) => {
    output += data.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const poll = setInterval(() => {
      const match = /listening on (http:\/\/[^\s"]+)/.exec(output);
      if (match) {
        clearInterval(poll);
        child.off('exit', onExit);
        resolve((match[1] as string).replace(/\/+$/, ''));
      }
    }, 20);
    const onExit = (code: number | null) => {
      clearInterval(poll);
      reject(new Error(`The server exited with ${code} before listening:\n${output}`));
    };
    child.once('exit', onExit);
  });
  return {
    url,
    child,
    output: () => output,
    log: () =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as LogLine),
  };
};
