import * as z from 'zod/mini';
import { ModuleRunReport } from '../personas/modules.js';
import { ChatParameters, Usage } from './requests.js';

// `/*#__PURE__*/` before each `.check()` chain: bundlers cannot tell that a method call has no side
// effects, and would keep every such schema in a bundle that never uses it.

/** A processing stage of one chat message on `/ws/chat` (seed 003). */
export const ChatStage = z.enum(['prompt_resolution', 'context', 'generation', 'post_response']);
export type ChatStage = z.infer<typeof ChatStage>;

/** How a stage of `/ws/chat` stands in a `stage_update`. */
export const ChatStageStatus = z.enum(['started', 'completed', 'failed']);
export type ChatStageStatus = z.infer<typeof ChatStageStatus>;

/** Client → server messages of `/ws/chat`. */
export const WsClientMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('chat'),
    data: z.object({
      message: /*#__PURE__*/ z.string().check(z.minLength(1), z.maxLength(100_000)),
      provider: z.optional(z.string()),
      model: z.optional(z.string()),
      persona_id: z.optional(z.string()),
      /** An agent of `GET /api/agents`; `provider`, `model` and `persona_id` win over what it picks. */
      agent: z.optional(z.string()),
      conversation_id: z.optional(z.string()),
      provider_settings: z.optional(z.record(z.string(), z.unknown())),
      chat_controls: z.optional(ChatParameters),
    }),
  }),
  /** Cancels the running chat session (`session_id` is a `chat_session_id`; absent: the running one). */
  z.object({ type: z.literal('cancel'), session_id: z.optional(z.string()) }),
  z.object({ type: z.literal('ping'), data: z.optional(z.unknown()) }),
]);
export type WsClientMessage = z.infer<typeof WsClientMessage>;

/** Server → client messages of `/ws/chat`. */
export const WsServerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('session_start'), data: z.object({ session_id: z.string() }) }),
  z.object({
    type: z.literal('chat_session_start'),
    data: z.object({ chat_session_id: z.string(), conversation_id: z.string(), message_id: z.string() }),
  }),
  /**
   * A stage starting, ending, or ending `failed`: sent as the stage really starts and ends, in the
   * order `prompt_resolution`, `context`, `generation`, `post_response`. A `failed` stage says what
   * failed in `error`; the reply goes on when it can (a failed module costs its part, not the reply).
   */
  z.object({
    type: z.literal('stage_update'),
    data: z.object({
      chat_session_id: z.string(),
      stage: ChatStage,
      status: ChatStageStatus,
      error: z.optional(z.string()),
    }),
  }),
  z.object({
    type: z.literal('chunk'),
    data: z.object({
      chat_session_id: z.string(),
      content: z.string(),
      thinking: z.nullable(z.string()),
      done: z.boolean(),
    }),
  }),
  z.object({
    type: z.literal('done'),
    data: z.object({
      chat_session_id: z.string(),
      conversation_id: z.string(),
      message_id: z.string(),
      response: z.string(),
      provider: z.string(),
      model: z.string(),
      usage: z.optional(Usage),
    }),
  }),
  /**
   * Follows `done` once the after-reply modules have run: what each did (`modules`, in the order
   * they ran; empty when none was triggered). A failed module is reported here, the reply kept.
   */
  z.object({
    type: z.literal('post_response_complete'),
    data: z.object({
      chat_session_id: z.string(),
      message_id: z.optional(z.string()),
      modules: z.optional(z.array(ModuleRunReport)),
    }),
  }),
  z.object({
    type: z.literal('cancelled'),
    data: z.object({ chat_session_id: z.string(), message_id: z.optional(z.string()) }),
  }),
  z.object({
    type: z.literal('error'),
    data: z.object({ code: z.string(), message: z.string(), chat_session_id: z.optional(z.string()) }),
  }),
  z.object({ type: z.literal('pong'), data: z.optional(z.unknown()) }),
]);
export type WsServerMessage = z.infer<typeof WsServerMessage>;
