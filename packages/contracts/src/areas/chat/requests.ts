import * as z from 'zod/mini';
import { FileSource } from '../files/schemas.js';

// `/*#__PURE__*/` before each `.check()` chain: bundlers cannot tell that a method call has no side
// effects, and would keep every such schema in a bundle that never uses it.

/** Model parameters a caller may set per request. */
export const ChatParameters = z.object({
  temperature: z.optional(/*#__PURE__*/ z.number().check(z.gte(0), z.lte(2))),
  max_tokens: z.optional(/*#__PURE__*/ z.int().check(z.gte(1), z.lte(1_000_000))),
  top_p: z.optional(/*#__PURE__*/ z.number().check(z.gte(0), z.lte(1))),
});
export type ChatParameters = z.infer<typeof ChatParameters>;

const message = /*#__PURE__*/ z.string().check(z.minLength(1), z.maxLength(100_000));

/**
 * `POST /api/chat` and `POST /api/chat/stream` (seed 000). A conversation is a ChatKit thread:
 * `conversation_id` continues one; without it a new one starts.
 */
export const ChatRequest = z.object({
  message,
  conversation_id: z.optional(z.string()),
  provider: z.optional(z.string()),
  model: z.optional(z.string()),
  agent: z.optional(z.string()),
  persona_id: z.optional(z.string()),
  parameters: z.optional(ChatParameters),
  metadata: z.optional(z.record(z.string(), z.unknown())),
  /** Files of the caller's the reply may draw on (file-aware chat). */
  file_ids: z.optional(/*#__PURE__*/ z.array(z.string()).check(z.maxLength(20))),
});
export type ChatRequest = z.infer<typeof ChatRequest>;

/** `GET /api/chat/stream` takes the same fields as query parameters (for `EventSource`). */
export const ChatStreamQuery = z.object({
  message: z.optional(message),
  conversation_id: z.optional(z.string()),
  provider: z.optional(z.string()),
  model: z.optional(z.string()),
  agent: z.optional(z.string()),
  persona_id: z.optional(z.string()),
  access_token: z.optional(z.string()),
});
export type ChatStreamQuery = z.infer<typeof ChatStreamQuery>;

/** Token counts of a reply. */
export const Usage = z.object({
  prompt_tokens: z.int(),
  completion_tokens: z.int(),
  total_tokens: z.int(),
});
export type Usage = z.infer<typeof Usage>;

/** The answer of `POST /api/chat` (seed 000). */
export const ChatResponse = z.object({
  response: z.string(),
  conversation_id: z.string(),
  message_id: z.string(),
  provider: z.string(),
  model: z.string(),
  usage: z.optional(Usage),
  /** The passages of the caller's files the reply drew on, when `file_ids` named some. */
  sources: z.optional(z.array(FileSource)),
});
export type ChatResponse = z.infer<typeof ChatResponse>;

/**
 * `POST /chat/` and `POST /chat/stream` (seed 004). `session_id` is the conversation; a new one is
 * made when absent. `context` names uploaded files the answer may draw on.
 */
export const SessionChatRequest = z.object({
  message,
  session_id: z.optional(z.string()),
  context: z.optional(
    z.union([
      /*#__PURE__*/ z.array(z.string()).check(z.maxLength(20)),
      z.object({ file_ids: z.optional(/*#__PURE__*/ z.array(z.string()).check(z.maxLength(20))) }),
    ]),
  ),
  provider: z.optional(z.string()),
  model: z.optional(z.string()),
  /** An agent of `GET /api/agents` (a persona id or `provider/model`); `provider` and `model` win over it. */
  agent: z.optional(z.string()),
  parameters: z.optional(ChatParameters),
});
export type SessionChatRequest = z.infer<typeof SessionChatRequest>;

/** The answer of `POST /chat/` (seed 004). */
export const SessionChatResponse = z.object({
  response: z.string(),
  session_id: z.string(),
  message_id: z.string(),
  provider: z.string(),
  model: z.string(),
  usage: z.optional(Usage),
  /** The passages of the caller's files the reply drew on, when `context` named some. */
  sources: z.optional(z.array(FileSource)),
});
export type SessionChatResponse = z.infer<typeof SessionChatResponse>;
