import { type Kysely, sql } from 'kysely';
import type { EngineColumns } from '../engine-columns.js';
import type { EngineMigration } from './engine-migration.js';

/**
 * Stored log entries and finished spans. Spans keep, beside their JSON attributes, the facts the
 * metrics count (kind, session, outcome, tokens, sandbox time), so a session's figures are sums over
 * indexed columns.
 */
export const observabilityMigration: EngineMigration = {
  async up(db: Kysely<unknown>, columns: EngineColumns) {
    await columns
      .addSeq(db.schema.createTable('log_entries'))
      .addColumn('log_id', 'text', (col) => col.notNull().unique())
      .addColumn('level', 'text', (col) =>
        col.notNull().check(sql`level in ('debug', 'info', 'warn', 'error')`),
      )
      .addColumn('message', 'text', (col) => col.notNull())
      .addColumn('metadata', 'text', (col) => col.notNull())
      .addColumn('session_id', 'text')
      .addColumn('trace_id', 'text')
      .addColumn('timestamp', 'text', (col) => col.notNull())
      .execute();
    // Newest first, of everyone or of one session; the purge deletes by timestamp.
    await db.schema
      .createIndex('log_entries_timestamp')
      .on('log_entries')
      .columns(['timestamp', 'seq'])
      .execute();
    await db.schema
      .createIndex('log_entries_session_timestamp')
      .on('log_entries')
      .columns(['session_id', 'timestamp', 'seq'])
      .execute();

    await db.schema
      .createTable('trace_spans')
      .addColumn('trace_id', 'text', (col) => col.notNull())
      .addColumn('span_id', 'text', (col) => col.notNull())
      .addColumn('parent_span_id', 'text')
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('kind', 'text')
      .addColumn('session_id', 'text')
      .addColumn('outcome', 'text')
      .addColumn('start_time', 'text', (col) => col.notNull())
      .addColumn('end_time', 'text', (col) => col.notNull())
      .addColumn('duration_ms', 'double precision', (col) => col.notNull())
      .addColumn('input_tokens', 'bigint', (col) => col.notNull())
      .addColumn('output_tokens', 'bigint', (col) => col.notNull())
      .addColumn('sandbox_ms', 'double precision', (col) => col.notNull())
      .addColumn('attributes', 'text', (col) => col.notNull())
      .addColumn('status_code', 'text', (col) =>
        col.notNull().check(sql`status_code in ('unset', 'ok', 'error')`),
      )
      .addColumn('status_message', 'text')
      .addPrimaryKeyConstraint('trace_spans_pk', ['trace_id', 'span_id'])
      .execute();
    // A session's totals and its command latency percentiles (and everyone's by kind).
    await db.schema
      .createIndex('trace_spans_session_kind_duration')
      .on('trace_spans')
      .columns(['session_id', 'kind', 'duration_ms'])
      .execute();
    await db.schema
      .createIndex('trace_spans_kind_duration')
      .on('trace_spans')
      .columns(['kind', 'duration_ms'])
      .execute();
    await db.schema.createIndex('trace_spans_end_time').on('trace_spans').column('end_time').execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('trace_spans').execute();
    await db.schema.dropTable('log_entries').execute();
  },
};
