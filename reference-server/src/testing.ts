/** @module Helpers for tests that need a real server: one per call, on a free port, in a temp directory. */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './config.js';
import { type RunningServer, startServer } from './server.js';

/** Options of {@link startTestServer}. */
export interface TestServerOptions {
  /** Settings by environment variable name, over the test defaults. */
  env?: Record<string, string>;
}

/** A server started for a test. */
export interface TestServer {
  url: string;
  /** An API key with the `admin` scope, configured on this server. */
  apiKey: string;
  /** The data directory, removed on close. */
  dataDir: string;
  running: RunningServer;
  close(): Promise<void>;
}

/**
 * Starts a real server on 127.0.0.1 with a fresh data directory, the demo provider at full speed, no
 * rate limits (nor a failed-authentication budget, nor a WebSocket connection limit) and an admin API key. `DATABASE_URL` in `options.env` points it at PostgreSQL.
 */
export const startTestServer = async (options: TestServerOptions = {}): Promise<TestServer> => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cartrita-test-'));
  const apiKey = `ck_test_${randomBytes(16).toString('hex')}`;
  const config = loadConfig({
    env: {
      API_HOST: '127.0.0.1',
      API_PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      DEMO_PACE_MS: '0',
      RATE_LIMIT_PER_MINUTE: '0',
      RATE_LIMIT_AUTHENTICATED_PER_MINUTE: '0',
      AUTH_FAILURES_PER_MINUTE: '0',
      WS_CONNECTIONS_PER_MINUTE: '0',
      API_KEYS: `test-admin:admin:${apiKey}`,
      ...options.env,
    },
  });
  // The test runner owns the process's error handlers: an escaped error must fail the test.
  const running = await startServer(config, { guardProcess: false });
  return {
    url: running.url,
    apiKey,
    dataDir,
    running,
    close: async () => {
      await running.close(100);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};
