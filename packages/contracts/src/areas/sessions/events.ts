/** @module Events (seed 001): what happened in a session, stored, listed and streamed live. */
import * as z from 'zod/mini';
import { Timestamp } from '../../envelope.js';
import { JsonObject, queryInt, TypeName } from '../../query.js';

/** `POST /api/sessions/{session_id}/events`. */
export const EventCreateRequest = z.object({
  event_type: TypeName,
  data: z._default(JsonObject, {}),
  metadata: z._default(JsonObject, {}),
});
export type EventCreateRequest = z.infer<typeof EventCreateRequest>;

/** An event of a session. */
export const SessionEvent = z.object({
  event_id: z.string(),
  session_id: z.string(),
  event_type: z.string(),
  data: JsonObject,
  metadata: JsonObject,
  timestamp: Timestamp,
});
export type SessionEvent = z.infer<typeof SessionEvent>;

/** `GET /api/sessions/{session_id}/events`: oldest first, `limit` (1-1000, default 50) from `offset`. */
export const EventListQuery = z.object({
  limit: z._default(queryInt(1, 1000), 50),
  offset: z._default(queryInt(0, 1_000_000_000), 0),
  event_type: z.optional(TypeName),
});
export type EventListQuery = z.infer<typeof EventListQuery>;

/** A page of events and how many match in all. */
export const EventList = z.object({ events: z.array(SessionEvent), total: z.int() });
export type EventList = z.infer<typeof EventList>;

/** The path of one event. */
export const EventParams = z.object({ session_id: z.string(), event_id: z.string() });

/**
 * `WS /api/sessions/{session_id}/events/stream`: `last_event_id` resumes after the last event a
 * client saw (its missed events come first, then the live ones); `access_token` carries a client
 * secret for browsers, which cannot send headers on a WebSocket.
 */
export const EventStreamQuery = z.object({
  last_event_id: z.optional(z.string()),
  event_type: z.optional(TypeName),
  access_token: z.optional(z.string()),
});
export type EventStreamQuery = z.infer<typeof EventStreamQuery>;

/** What a client may send on the event stream. */
export const EventStreamClientMessage = z.object({ type: z.literal('ping') });
export type EventStreamClientMessage = z.infer<typeof EventStreamClientMessage>;

/** What the event stream sends: each event (with `type: "event"`), and a few control messages. */
export const EventStreamServerMessage = z.discriminatedUnion('type', [
  /** First message: the socket follows the session; `replayed` events that were missed follow. */
  z.object({ type: z.literal('ready'), session_id: z.string(), replayed: z.int() }),
  z.object({
    type: z.literal('event'),
    event_id: z.string(),
    session_id: z.string(),
    event_type: z.string(),
    data: JsonObject,
    metadata: JsonObject,
    timestamp: Timestamp,
  }),
  z.object({ type: z.literal('pong') }),
  z.object({ type: z.literal('error'), error: z.object({ code: z.string(), message: z.string() }) }),
]);
export type EventStreamServerMessage = z.infer<typeof EventStreamServerMessage>;

/**
 * Close codes of the event stream besides the standard ones: the session was deleted (4404), the
 * client secret expired (4401, as on `/ws/chat`).
 */
export const eventStreamCloseCodes = { sessionDeleted: 4404, secretExpired: 4401 } as const;
