/** @module Stored log entries over SQL (SQLite or PostgreSQL, through Kysely). */
import type { LogStore, StoredLog } from '@cartrita/engine';
import type { Kysely, Selectable } from 'kysely';
import { fromJson, toJson } from '../../storage/codec.js';
import type { Database, LogEntriesTable } from '../../storage/schema.js';

const toLog = (row: Selectable<LogEntriesTable>): StoredLog => ({
  log_id: row.log_id,
  level: row.level,
  message: row.message,
  metadata: fromJson<Record<string, unknown>>(row.metadata),
  ...(row.session_id === null ? {} : { session_id: row.session_id }),
  ...(row.trace_id === null ? {} : { trace_id: row.trace_id }),
  timestamp: row.timestamp,
});

/** The log store over a migrated database. */
export const createLogStore = (db: Kysely<Database>): LogStore => ({
  async append(log) {
    await db
      .insertInto('log_entries')
      .values({
        log_id: log.log_id,
        level: log.level,
        message: log.message,
        metadata: toJson(log.metadata),
        session_id: log.session_id ?? null,
        trace_id: log.trace_id ?? null,
        timestamp: log.timestamp,
      })
      .execute();
  },

  async list(filter, limit) {
    let query = db.selectFrom('log_entries');
    if (filter.levels !== undefined) {
      if (filter.levels.length === 0) return { logs: [], total: 0 };
      query = query.where('level', 'in', [...filter.levels]);
    }
    if (filter.session_id !== undefined) query = query.where('session_id', '=', filter.session_id);
    const [rows, counted] = await Promise.all([
      query.selectAll().orderBy('timestamp', 'desc').orderBy('seq', 'desc').limit(limit).execute(),
      query.select((eb) => eb.fn.countAll<number | string>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { logs: rows.map(toLog), total: Number(counted.total) };
  },

  async countByLevel(sessionId) {
    let query = db
      .selectFrom('log_entries')
      .select((eb) => ['level', eb.fn.countAll<number | string>().as('count')])
      .groupBy('level');
    if (sessionId !== undefined) query = query.where('session_id', '=', sessionId);
    const rows = await query.execute();
    return Object.fromEntries(rows.map((row) => [row.level, Number(row.count)]));
  },

  async purgeBefore(time) {
    const result = await db.deleteFrom('log_entries').where('timestamp', '<', time).executeTakeFirst();
    return Number(result.numDeletedRows);
  },
});
