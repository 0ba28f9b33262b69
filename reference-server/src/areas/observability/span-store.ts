/** @module Stored spans over SQL (SQLite or PostgreSQL, through Kysely). */
import { type SpanStore, type StoredSpan, spanFacts } from '@cartrita/engine';
import type { Insertable, Kysely, Selectable } from 'kysely';
import { fromJson, toJson } from '../../storage/codec.js';
import type { Database, TraceSpansTable } from '../../storage/schema.js';

const toRow = (span: StoredSpan): Insertable<TraceSpansTable> => {
  const facts = spanFacts(span);
  return {
    trace_id: span.trace_id,
    span_id: span.span_id,
    parent_span_id: span.parent_span_id ?? null,
    name: span.name,
    kind: facts.kind ?? null,
    session_id: facts.session_id ?? null,
    outcome: facts.outcome ?? null,
    start_time: span.start_time,
    end_time: span.end_time,
    duration_ms: span.duration_ms,
    input_tokens: facts.input_tokens,
    output_tokens: facts.output_tokens,
    sandbox_ms: facts.sandbox_ms,
    attributes: toJson(span.attributes),
    status_code: span.status.code,
    status_message: span.status.message ?? null,
  };
};

const toSpan = (row: Selectable<TraceSpansTable>): StoredSpan => ({
  trace_id: row.trace_id,
  span_id: row.span_id,
  ...(row.parent_span_id === null ? {} : { parent_span_id: row.parent_span_id }),
  name: row.name,
  start_time: row.start_time,
  end_time: row.end_time,
  duration_ms: Number(row.duration_ms),
  attributes: fromJson(row.attributes),
  status: {
    code: row.status_code,
    ...(row.status_message === null ? {} : { message: row.status_message }),
  },
});

/** Rows per insert: well under SQLite's and PostgreSQL's limits on bound values (16 a row). */
const rowsPerInsert = 500;

/** The span store over a migrated database. */
export const createSpanStore = (db: Kysely<Database>): SpanStore => ({
  async append(spans) {
    for (let from = 0; from < spans.length; from += rowsPerInsert) {
      await db
        .insertInto('trace_spans')
        .values(spans.slice(from, from + rowsPerInsert).map(toRow))
        .onConflict((conflict) => conflict.columns(['trace_id', 'span_id']).doNothing())
        .execute();
    }
  },

  async trace(traceId) {
    const rows = await db.selectFrom('trace_spans').selectAll().where('trace_id', '=', traceId).execute();
    return rows.map(toSpan);
  },

  async totals(sessionId) {
    let query = db
      .selectFrom('trace_spans')
      .select((eb) => [
        'kind',
        'outcome',
        eb.fn.countAll<number | string>().as('count'),
        eb.fn.sum<number | string>('input_tokens').as('input_tokens'),
        eb.fn.sum<number | string>('output_tokens').as('output_tokens'),
        eb.fn.sum<number | string>('sandbox_ms').as('sandbox_ms'),
      ])
      .groupBy(['kind', 'outcome']);
    if (sessionId !== undefined) query = query.where('session_id', '=', sessionId);
    const rows = await query.execute();
    return rows.map((row) => ({
      ...(row.kind === null ? {} : { kind: row.kind }),
      ...(row.outcome === null ? {} : { outcome: row.outcome }),
      count: Number(row.count),
      input_tokens: Number(row.input_tokens),
      output_tokens: Number(row.output_tokens),
      sandbox_ms: Number(row.sandbox_ms),
    }));
  },

  async durationAt(filter, offset) {
    let query = db
      .selectFrom('trace_spans')
      .select('duration_ms')
      .where('kind', '=', filter.kind)
      .orderBy('duration_ms', 'asc')
      .limit(1)
      .offset(offset);
    if (filter.session_id !== undefined) query = query.where('session_id', '=', filter.session_id);
    const row = await query.executeTakeFirst();
    return row === undefined ? undefined : Number(row.duration_ms);
  },

  async purgeBefore(time) {
    const result = await db.deleteFrom('trace_spans').where('end_time', '<', time).executeTakeFirst();
    return Number(result.numDeletedRows);
  },
});
