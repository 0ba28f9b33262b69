import type { CommandCounts, CommandStore, StoredCommand } from '@cartrita/engine';
import type { Kysely, Selectable } from 'kysely';
import { fromJson, toJson } from '../../storage/codec.js';
import type { CommandsTable, Database } from '../../storage/schema.js';

const priorityRank = { high: 0, normal: 1, low: 2 } as const;

const toCommand = (row: Selectable<CommandsTable>): StoredCommand => ({
  id: row.id,
  session_id: row.session_id,
  command_type: row.command_type,
  parameters: fromJson(row.parameters),
  metadata: fromJson(row.metadata),
  status: row.status,
  result: row.result === null ? null : fromJson(row.result),
  error: row.error === null ? null : fromJson(row.error),
  created_at: row.created_at,
  started_at: row.started_at,
  completed_at: row.completed_at,
  runner: row.runner,
  lease_expires_at: row.lease_expires_at,
});

const emptyCounts = (): CommandCounts => ({
  queued: 0,
  executing: 0,
  completed: 0,
  failed: 0,
  timeout: 0,
  cancelled: 0,
});

/** Builds the {@link CommandStore} over a database. */
export function createCommandStore(db: Kysely<Database>): CommandStore {
  return {
    async create(commands) {
      if (commands.length === 0) return [];
      const rows = await db
        .insertInto('commands')
        .values(
          commands.map((command) => ({
            id: command.id,
            session_id: command.session_id,
            command_type: command.command_type,
            parameters: toJson(command.parameters),
            metadata: toJson(command.metadata),
            priority: priorityRank[command.metadata.priority],
            status: 'queued' as const,
            created_at: command.created_at,
          })),
        )
        .returningAll()
        .execute();
      // Rows come back in insertion order on both engines; `seq` confirms it.
      return rows.sort((a, b) => Number(a.seq) - Number(b.seq)).map(toCommand);
    },

    async get(sessionId, id) {
      const row = await db
        .selectFrom('commands')
        .selectAll()
        .where('id', '=', id)
        .where('session_id', '=', sessionId)
        .executeTakeFirst();
      return row && toCommand(row);
    },

    async claimNext(sessionId, claim) {
      return db.transaction().execute(async (trx) => {
        // A write first: it locks the session's row on PostgreSQL (and the database on SQLite) until
        // the transaction ends, so two processes never claim for one session at once.
        const locked = await trx
          .updateTable('sessions')
          .set((eb) => ({ id: eb.ref('id') }))
          .where('id', '=', sessionId)
          .executeTakeFirst();
        if (locked.numUpdatedRows === 0n) return undefined;
        // The next queued command, unless one of the session's commands is executing.
        const next = await trx
          .selectFrom('commands')
          .selectAll()
          .where('session_id', '=', sessionId)
          .where('status', '=', 'queued')
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('commands as running')
                  .select('running.id')
                  .where('running.session_id', '=', sessionId)
                  .where('running.status', '=', 'executing'),
              ),
            ),
          )
          .orderBy('priority')
          .orderBy('seq')
          .limit(1)
          .executeTakeFirst();
        if (!next) return undefined;
        const command = toCommand(next);
        const row = await trx
          .updateTable('commands')
          .set({
            status: 'executing',
            runner: claim.runner,
            started_at: claim.started_at,
            lease_expires_at: claim.lease_expires_at(command),
          })
          .where('id', '=', next.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        return toCommand(row);
      });
    },

    async transition(id, from, transition) {
      const leaving = transition.status !== 'executing';
      const row = await db
        .updateTable('commands')
        .set({
          status: transition.status,
          ...(transition.result === undefined ? {} : { result: toJson(transition.result) }),
          ...(transition.error === undefined
            ? {}
            : { error: transition.error === null ? null : toJson(transition.error) }),
          ...(transition.completed_at === undefined ? {} : { completed_at: transition.completed_at }),
          ...(leaving ? { runner: null, lease_expires_at: null } : {}),
        })
        .where('id', '=', id)
        .where('status', 'in', [...from])
        .returningAll()
        .executeTakeFirst();
      return row && toCommand(row);
    },

    async counts(sessionId) {
      let query = db.selectFrom('commands').select(['status', (eb) => eb.fn.countAll<string>().as('count')]);
      if (sessionId !== undefined) query = query.where('session_id', '=', sessionId);
      const rows = await query.groupBy('status').execute();
      const counts = emptyCounts();
      for (const row of rows) counts[row.status] = Number(row.count);
      return counts;
    },

    async failStale({ now, runner, error, completed_at }) {
      const rows = await db
        .updateTable('commands')
        .set({
          status: 'failed',
          error: toJson(error),
          completed_at,
          runner: null,
          lease_expires_at: null,
        })
        .where('status', '=', 'executing')
        .where((eb) =>
          runner === undefined
            ? eb('lease_expires_at', '<', now)
            : eb.or([eb('lease_expires_at', '<', now), eb('runner', '=', runner)]),
        )
        .returningAll()
        .execute();
      return rows.map(toCommand);
    },

    async sessionsWithQueued() {
      const rows = await db
        .selectFrom('commands')
        .select('session_id')
        .distinct()
        .where('status', '=', 'queued')
        .execute();
      return rows.map((row) => row.session_id);
    },

    async deleteSession(sessionId) {
      const rows = await db
        .deleteFrom('commands')
        .where('session_id', '=', sessionId)
        .returningAll()
        .execute();
      return rows.filter((row) => row.status === 'queued' || row.status === 'executing').map(toCommand);
    },
  };
}
