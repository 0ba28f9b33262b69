/** @module The computer-use area's repository over SQL. */
import type { ComputerUseStatus } from '@cartrita/contracts';
import type { ComputerUseRepositories, StoredComputerUseRun } from '@cartrita/engine';
import type { Insertable, Kysely, Selectable } from 'kysely';
import { fromJson, toJson } from '../../storage/codec.js';
import type { ComputerUseRunsTable, Database } from '../../storage/schema.js';

const toRun = (row: Selectable<ComputerUseRunsTable>): StoredComputerUseRun => ({
  ...row,
  status: row.status as ComputerUseStatus,
  environment: fromJson(row.environment),
  pending_call: row.pending_call === null ? null : fromJson(row.pending_call),
  error: row.error === null ? null : fromJson(row.error),
  steps_taken: Number(row.steps_taken),
  max_steps: Number(row.max_steps),
  steps: fromJson(row.steps),
});

const toRow = (run: StoredComputerUseRun): Insertable<ComputerUseRunsTable> => ({
  ...run,
  environment: toJson(run.environment),
  pending_call: run.pending_call === null ? null : toJson(run.pending_call),
  error: run.error === null ? null : toJson(run.error),
  steps: toJson(run.steps),
});

/** The computer-use runs over a database. */
export function createComputerUseSqlRepositories(db: Kysely<Database>): ComputerUseRepositories {
  return {
    computerUseRuns: {
      async create(run) {
        await db.insertInto('computer_use_runs').values(toRow(run)).execute();
        return run;
      },
      async get(id, userId) {
        const row = await db
          .selectFrom('computer_use_runs')
          .selectAll()
          .where('id', '=', id)
          .where('user_id', '=', userId)
          .executeTakeFirst();
        return row && toRun(row);
      },
      async replace(run, from) {
        const { id: _id, user_id: _user, ...change } = toRow(run);
        const result = await db
          .updateTable('computer_use_runs')
          .set(change)
          .where('id', '=', run.id)
          .where('status', '=', from)
          .executeTakeFirst();
        return result.numUpdatedRows > 0n;
      },
    },
  };
}
