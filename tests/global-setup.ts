/**
 * Vitest global setup: gives the test workers a PostgreSQL server to create databases on, and a Redis.
 *
 * When `CARTRITA_TEST_PG_URL` is set, that server is used, and the databases this run creates there are
 * dropped at teardown. Otherwise a throwaway cluster is started in the background from Debian's binaries
 * and stopped (its directory removed) at teardown. The URL reaches the workers through `provide`; use
 * `tests/engines.ts`, which also waits for the cluster to be ready. When no binaries exist the reason is
 * provided instead, so every PostgreSQL test fails with it while the SQLite half still runs.
 *
 * Redis likewise: `CARTRITA_TEST_REDIS_URL` when set, else a throwaway `redis-server` (ready in about
 * 10 ms), killed at teardown; use `tests/redis-url.ts`. Tests that share it keep apart by key prefix.
 */
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import {
  dropTestPostgresDatabases,
  findPostgresBin,
  launchPostgresCluster,
  missingPostgresMessage,
} from './postgres.js';
import { findRedisServer, missingRedisMessage, startRedisServer } from './redis.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the test PostgreSQL server; empty when there is none. */
    cartritaPgUrl: string;
    /** Why there is no test PostgreSQL server; empty when there is one. */
    cartritaPgError: string;
    /** Name prefix of the databases this run creates (`cartrita_test_<run>_`), dropped at teardown. */
    cartritaPgPrefix: string;
    /** Status file of the cluster this run starts (see `waitForPostgresCluster`); empty for an external one. */
    cartritaPgStatusFile: string;
    /** URL of the test Redis; empty when there is none. */
    cartritaRedisUrl: string;
    /** Why there is no test Redis; empty when there is one. */
    cartritaRedisError: string;
  }
}

/** Provides a Redis to the workers; returns what stops it, if this run started it. */
async function provideRedis(project: TestProject): Promise<(() => void) | undefined> {
  const external = process.env.CARTRITA_TEST_REDIS_URL;
  const bin = external ? undefined : findRedisServer();
  if (external || !bin) {
    project.provide('cartritaRedisUrl', external ?? '');
    project.provide('cartritaRedisError', external ? '' : missingRedisMessage);
    return undefined;
  }
  try {
    const redis = await startRedisServer({ bin });
    project.provide('cartritaRedisUrl', redis.url);
    project.provide('cartritaRedisError', '');
    return redis.stop;
  } catch (error) {
    project.provide('cartritaRedisUrl', '');
    project.provide('cartritaRedisError', (error as Error).message);
    return undefined;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const stopRedis = await provideRedis(project);
  // Kill the server even when the run ends without a teardown, so none outlives it.
  if (stopRedis) process.once('exit', stopRedis);
  const teardownRedis = (): void => {
    if (!stopRedis) return;
    process.off('exit', stopRedis);
    stopRedis();
  };
  const prefix = `cartrita_test_${randomBytes(4).toString('hex')}_`;
  project.provide('cartritaPgPrefix', prefix);
  project.provide('cartritaPgStatusFile', '');
  const external = process.env.CARTRITA_TEST_PG_URL;
  if (external) {
    project.provide('cartritaPgUrl', external);
    project.provide('cartritaPgError', '');
    return async () => {
      teardownRedis();
      await dropTestPostgresDatabases(external, prefix);
    };
  }
  const bin = findPostgresBin();
  if (!bin) {
    project.provide('cartritaPgUrl', '');
    project.provide('cartritaPgError', missingPostgresMessage);
    return async () => teardownRedis();
  }
  // Started in the background: workers that use PostgreSQL wait for the status file, others never do.
  const cluster = await launchPostgresCluster(bin);
  // Stop the server even when the run ends without a teardown, so no cluster outlives it.
  const onExit = (): void => cluster.stop();
  process.once('exit', onExit);
  // Also in the environment, which forked workers inherit; code reading it directly must wait for
  // readiness itself (`postgresAdminUrl()` in tests/engines.ts does).
  process.env.CARTRITA_TEST_PG_URL = cluster.url;
  project.provide('cartritaPgUrl', cluster.url);
  project.provide('cartritaPgError', '');
  project.provide('cartritaPgStatusFile', cluster.statusFile);
  return async () => {
    teardownRedis();
    process.off('exit', onExit);
    delete process.env.CARTRITA_TEST_PG_URL;
    await cluster.ready.catch(() => {});
    cluster.stop();
  };
}
