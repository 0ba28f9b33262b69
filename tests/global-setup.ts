/**
 * Vitest global setup: gives the test workers a PostgreSQL server to create databases on.
 *
 * When `CARTRITA_TEST_PG_URL` is set, that server is used, and the databases this run creates there are
 * dropped at teardown. Otherwise a throwaway cluster is started in the background from Debian's binaries
 * and stopped (its directory removed) at teardown. The URL reaches the workers through `provide`; use
 * `tests/engines.ts`, which also waits for the cluster to be ready. When no binaries exist the reason is
 * provided instead, so every PostgreSQL test fails with it while the SQLite half still runs.
 */
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import {
  dropTestPostgresDatabases,
  findPostgresBin,
  launchPostgresCluster,
  missingPostgresMessage,
} from './postgres.js';

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
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const prefix = `cartrita_test_${randomBytes(4).toString('hex')}_`;
  project.provide('cartritaPgPrefix', prefix);
  project.provide('cartritaPgStatusFile', '');
  const external = process.env.CARTRITA_TEST_PG_URL;
  if (external) {
    project.provide('cartritaPgUrl', external);
    project.provide('cartritaPgError', '');
    return () => dropTestPostgresDatabases(external, prefix);
  }
  const bin = findPostgresBin();
  if (!bin) {
    project.provide('cartritaPgUrl', '');
    project.provide('cartritaPgError', missingPostgresMessage);
    return undefined;
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
    process.off('exit', onExit);
    delete process.env.CARTRITA_TEST_PG_URL;
    await cluster.ready.catch(() => {});
    cluster.stop();
  };
}
