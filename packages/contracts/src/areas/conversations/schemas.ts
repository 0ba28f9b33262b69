/**
 * @module Conversations and messages of seed 003 (Project 2501). A conversation is a ChatKit thread
 * (the same id) and a message is one of its items: what `/api/conversations` creates, `/chatkit` lists,
 * and the other way round.
 */
import * as z from 'zod/mini';
import { Timestamp } from '../../envelope.js';
import { JsonObject } from '../../query.js';

const Title = /*#__PURE__*/ z.string().check(z.maxLength(500));
const ProviderType = /*#__PURE__*/ z.string().check(z.minLength(1), z.maxLength(100));

/** `POST /api/conversations`. */
export const ConversationCreateRequest = z.object({
  title: z.optional(z.nullable(Title)),
  /** The persona whose template is the system prompt of the conversation's turns. */
  persona_id: z.optional(z.nullable(/*#__PURE__*/ z.string().check(z.minLength(1), z.maxLength(200)))),
  /** The chat provider its turns use (`demo`, `openai`, ...); the server's default when absent. */
  provider_type: z.optional(z.nullable(ProviderType)),
  /** Settings for that provider (`model`, `temperature`, ...). */
  provider_config: z.optional(z.nullable(JsonObject)),
});
export type ConversationCreateRequest = z.infer<typeof ConversationCreateRequest>;

/** `PUT /api/conversations/{id}`: the fields sent change; `null` clears one. */
export const ConversationUpdateRequest = ConversationCreateRequest;
export type ConversationUpdateRequest = z.infer<typeof ConversationUpdateRequest>;

/** A conversation: a ChatKit thread with seed 003's fields. */
export const Conversation = z.object({
  id: z.string(),
  title: z.nullable(z.string()),
  persona_id: z.nullable(z.string()),
  provider_type: z.nullable(z.string()),
  provider_config: z.nullable(JsonObject),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type Conversation = z.infer<typeof Conversation>;

/** A list of conversations, newest first. */
export const ConversationList = z.object({ conversations: z.array(Conversation), total: z.int() });
export type ConversationList = z.infer<typeof ConversationList>;

/** The answer of `DELETE /api/conversations/{id}`. */
export const ConversationDeleted = z.object({ id: z.string(), deleted: z.literal(true) });
export type ConversationDeleted = z.infer<typeof ConversationDeleted>;

export const ConversationParams = z.object({ id: z.string() });

/** The answer of `DELETE /api/conversations/{id}/memories`: how many memories went. */
export const ConversationMemoriesCleared = z.object({ id: z.string(), cleared: z.int() });
export type ConversationMemoriesCleared = z.infer<typeof ConversationMemoriesCleared>;
export const PersonaConversationsParams = z.object({ persona_id: z.string() });

/** Who wrote a message: a `system` message is context the model reads and the chat view does not show. */
export const MessageRole = z.enum(['user', 'assistant', 'system']);
export type MessageRole = z.infer<typeof MessageRole>;

const TokenCount = /*#__PURE__*/ z.int().check(z.minimum(0));

/** `POST /api/messages`. */
export const MessageCreateRequest = z.object({
  conversation_id: /*#__PURE__*/ z.string().check(z.minLength(1)),
  role: MessageRole,
  content: /*#__PURE__*/ z.string().check(z.maxLength(200_000)),
  /** The model's reasoning before its answer, kept apart from the content. */
  thinking: z.optional(z.nullable(/*#__PURE__*/ z.string().check(z.maxLength(200_000)))),
  input_tokens: z.optional(z.nullable(TokenCount)),
  output_tokens: z.optional(z.nullable(TokenCount)),
  extra_data: z.optional(z.nullable(JsonObject)),
});
export type MessageCreateRequest = z.infer<typeof MessageCreateRequest>;

/** `PUT /api/messages/{id}`: content and the message's extras; the fields sent change. */
export const MessageUpdateRequest = z.object({
  content: z.optional(/*#__PURE__*/ z.string().check(z.maxLength(200_000))),
  thinking: z.optional(z.nullable(/*#__PURE__*/ z.string().check(z.maxLength(200_000)))),
  input_tokens: z.optional(z.nullable(TokenCount)),
  output_tokens: z.optional(z.nullable(TokenCount)),
  extra_data: z.optional(z.nullable(JsonObject)),
});
export type MessageUpdateRequest = z.infer<typeof MessageUpdateRequest>;

/** A message: an item of its conversation's thread. */
export const Message = z.object({
  id: z.string(),
  conversation_id: z.string(),
  role: MessageRole,
  content: z.string(),
  thinking: z.nullable(z.string()),
  input_tokens: z.nullable(z.int()),
  output_tokens: z.nullable(z.int()),
  extra_data: z.nullable(JsonObject),
  created_at: Timestamp,
});
export type Message = z.infer<typeof Message>;

/** A conversation's messages, oldest first. */
export const MessageList = z.object({ messages: z.array(Message), total: z.int() });
export type MessageList = z.infer<typeof MessageList>;

/** The answer of `DELETE /api/messages/{id}`. */
export const MessageDeleted = z.object({ id: z.string(), deleted: z.literal(true) });
export type MessageDeleted = z.infer<typeof MessageDeleted>;

export const MessageParams = z.object({ id: z.string() });
export const ConversationMessagesParams = z.object({ conversation_id: z.string() });
