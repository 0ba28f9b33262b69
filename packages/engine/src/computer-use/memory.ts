/** @module The computer-use area's repository in memory, by the SQL repository's rules. */
import type { ComputerUseRepositories, StoredComputerUseRun } from './repositories.js';

const copy = <T>(value: T): T => structuredClone(value);

/** Runs in memory, and a way to forget them. */
export interface MemoryComputerUseRepositories extends ComputerUseRepositories {
  clear(): void;
}

/** Runs in memory. */
export const createMemoryComputerUseRepositories = (): MemoryComputerUseRepositories => {
  const rows = new Map<string, StoredComputerUseRun>();
  return {
    clear: () => rows.clear(),
    computerUseRuns: {
      async create(run) {
        if (rows.has(run.id)) throw new Error(`A computer-use run ${run.id} already exists`);
        rows.set(run.id, copy(run));
        return copy(run);
      },
      async get(id, userId) {
        const row = rows.get(id);
        return row?.user_id === userId ? copy(row) : undefined;
      },
      async replace(run, from) {
        const row = rows.get(run.id);
        if (!row || row.status !== from) return false;
        rows.set(run.id, copy(run));
        return true;
      },
    },
  };
};
