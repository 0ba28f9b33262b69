/** @module Memory (seed 004): what the assistant remembers of a user: profile, facts and past exchanges. */
import * as z from 'zod/mini';
import { Timestamp } from '../../envelope.js';
import { JsonObject, queryInt } from '../../query.js';

/**
 * The kind of a memory: `profile` (who the user is and what they prefer), `fact` (something the user
 * stated), `conversation` (one chat exchange, kept by the server for its session).
 */
export const MemoryType = z.enum(['profile', 'fact', 'conversation']);
export type MemoryType = z.infer<typeof MemoryType>;

/**
 * One memory. A `conversation` memory's `metadata` holds `session_id`, `message_id`, `user_message`
 * and `assistant_message`; the other kinds keep the caller's metadata as given.
 */
export const MemoryEntry = z.object({
  id: z.string(),
  type: MemoryType,
  content: z.string(),
  metadata: JsonObject,
  /** When the memory was made. */
  timestamp: Timestamp,
});
export type MemoryEntry = z.infer<typeof MemoryEntry>;

/** `GET /memory/`: the caller's memories, newest first, of one type when given. */
export const MemoryListQuery = z.object({
  type: z.optional(MemoryType),
  limit: z._default(queryInt(1, 1000), 100),
  offset: z._default(queryInt(0, 1_000_000_000), 0),
});
export type MemoryListQuery = z.infer<typeof MemoryListQuery>;

/** A page of memories and how many match in all. */
export const MemoryList = z.object({ memories: z.array(MemoryEntry), total: z.int() });
export type MemoryList = z.infer<typeof MemoryList>;

const content = /*#__PURE__*/ z.string().check(z.minLength(1), z.maxLength(20_000));

/**
 * `POST /memory/`: a `profile` or `fact` memory of the caller's. `conversation` memories are made by
 * the chat doors only, one per exchange.
 */
export const MemoryCreateRequest = z.object({
  type: z.enum(['profile', 'fact']),
  content,
  metadata: z.optional(JsonObject),
});
export type MemoryCreateRequest = z.infer<typeof MemoryCreateRequest>;

/** `PUT /memory/{memory_id}`: the new content, metadata, or both (metadata replaces the old). */
export const MemoryUpdateRequest = z.object({
  content: z.optional(content),
  metadata: z.optional(JsonObject),
});
export type MemoryUpdateRequest = z.infer<typeof MemoryUpdateRequest>;

/**
 * `POST /memory/clear`: the caller's memories of one type, or made before `older_than`, or both; an
 * empty body clears every memory of the caller's.
 */
export const MemoryClearRequest = z.object({
  type: z.optional(MemoryType),
  older_than: z.optional(Timestamp),
});
export type MemoryClearRequest = z.infer<typeof MemoryClearRequest>;

/** How many memories `POST /memory/clear` removed. */
export const MemoryCleared = z.object({ cleared: z.int() });
export type MemoryCleared = z.infer<typeof MemoryCleared>;

/** The answer of `DELETE /memory/{memory_id}`. */
export const MemoryDeleted = z.object({ id: z.string(), deleted: z.literal(true) });
export type MemoryDeleted = z.infer<typeof MemoryDeleted>;

/** The path of one memory. */
export const MemoryParams = z.object({ memory_id: z.string() });
