/** @module LLMGine sessions (seed 001): the container of commands, events, tools, handlers and engines. */
import * as z from 'zod/mini';
import { Timestamp } from '../../envelope.js';
import { JsonObject } from '../../query.js';

/**
 * Whether a session takes work: `active`, or `expired` / `revoked` (a ChatKit session past its
 * client secret's lifetime, or revoked), which keep their records but take nothing new.
 */
export const SessionStatus = z.enum(['active', 'expired', 'revoked']);
export type SessionStatus = z.infer<typeof SessionStatus>;

/** `POST /api/sessions`. */
export const SessionCreateRequest = z.object({
  name: z.optional(/*#__PURE__*/ z.string().check(z.minLength(1), z.maxLength(200))),
  metadata: z.optional(JsonObject),
});
export type SessionCreateRequest = z.infer<typeof SessionCreateRequest>;

/** The answer of `POST /api/sessions`: the seed's three fields, and the name and metadata given. */
export const SessionCreated = z.object({
  session_id: z.string(),
  created_at: Timestamp,
  status: SessionStatus,
  name: z.nullable(z.string()),
  metadata: JsonObject,
});
export type SessionCreated = z.infer<typeof SessionCreated>;

/** What a session holds. */
export const SessionCounts = z.object({
  commands: z.int(),
  /** Commands waiting in the session's queue. */
  queued: z.int(),
  /** Commands running now. */
  executing: z.int(),
  events: z.int(),
  engines: z.int(),
  tools: z.int(),
  handlers: z.int(),
});
export type SessionCounts = z.infer<typeof SessionCounts>;

/** `GET /api/sessions/{session_id}`. */
export const Session = z.object({
  session_id: z.string(),
  name: z.nullable(z.string()),
  metadata: JsonObject,
  status: SessionStatus,
  created_at: Timestamp,
  /** When a ChatKit session's client secret expires; `null` for sessions made by `POST /api/sessions`. */
  expires_at: z.nullable(Timestamp),
  counts: SessionCounts,
});
export type Session = z.infer<typeof Session>;

/** The path of every route under one session. */
export const SessionParams = z.object({ session_id: z.string() });

/** The answer of `DELETE /api/sessions/{session_id}`. */
export const SessionDeleted = z.object({ session_id: z.string(), deleted: z.literal(true) });
export type SessionDeleted = z.infer<typeof SessionDeleted>;
