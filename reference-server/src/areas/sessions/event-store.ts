import type { EventStore, StoredEvent } from '@cartrita/engine';
import type { Kysely, Selectable } from 'kysely';
import { fromJson, toJson } from '../../storage/codec.js';
import type { Database, SessionEventsTable } from '../../storage/schema.js';

const toEvent = (row: Selectable<SessionEventsTable>): StoredEvent => ({
  id: row.id,
  session_id: row.session_id,
  event_type: row.event_type,
  data: fromJson(row.data),
  metadata: fromJson(row.metadata),
  timestamp: row.timestamp,
  // PostgreSQL's bigint arrives as text.
  seq: Number(row.seq),
});

/** Builds the {@link EventStore} over a database. */
export function createEventStore(db: Kysely<Database>): EventStore {
  return {
    async append(event) {
      const row = await db
        .insertInto('session_events')
        .values({
          id: event.id,
          session_id: event.session_id,
          event_type: event.event_type,
          data: toJson(event.data),
          metadata: toJson(event.metadata),
          timestamp: event.timestamp,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toEvent(row);
    },

    async get(sessionId, id) {
      const row = await db
        .selectFrom('session_events')
        .selectAll()
        .where('id', '=', id)
        .where('session_id', '=', sessionId)
        .executeTakeFirst();
      return row && toEvent(row);
    },

    async list(sessionId, { limit, offset, event_type }) {
      let query = db.selectFrom('session_events').where('session_id', '=', sessionId);
      if (event_type !== undefined) query = query.where('event_type', '=', event_type);
      const [rows, total] = await Promise.all([
        query.selectAll().orderBy('seq').limit(limit).offset(offset).execute(),
        query.select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow(),
      ]);
      return { events: rows.map(toEvent), total: Number(total.count) };
    },

    async after(sessionId, seq, limit) {
      const rows = await db
        .selectFrom('session_events')
        .selectAll()
        .where('session_id', '=', sessionId)
        .where('seq', '>', seq)
        .orderBy('seq')
        .limit(limit)
        .execute();
      return rows.map(toEvent);
    },

    async count(sessionId) {
      const row = await db
        .selectFrom('session_events')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .where('session_id', '=', sessionId)
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },

    async deleteSession(sessionId) {
      const result = await db
        .deleteFrom('session_events')
        .where('session_id', '=', sessionId)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
