import * as z from 'zod/mini';
import { FileSource } from '../files/schemas.js';
import { ModuleRunReport } from '../personas/modules.js';
import { Usage } from './requests.js';

/**
 * The `data:` of one frame of Cartrita's own chat streams (`/api/chat/stream`, `/chat/stream`).
 * Every frame also has an `id: <response_id>:<seq>` line so a dropped connection resumes with
 * `Last-Event-ID`, and no `event:` line, so `EventSource.onmessage` sees every frame.
 */
export const ChatStreamFrame = z.discriminatedUnion('type', [
  /** First frame: which conversation and message this reply belongs to. */
  z.object({
    type: z.literal('start'),
    response_id: z.string(),
    conversation_id: z.string(),
    session_id: z.optional(z.string()),
    message_id: z.string(),
    provider: z.string(),
    model: z.string(),
  }),
  /** A piece of the reply's text. */
  z.object({ type: z.literal('chunk'), content: z.string() }),
  /** Transient status text (a tool running, a search). */
  z.object({ type: z.literal('progress'), text: z.string() }),
  /** The reply is complete (or was cancelled): the whole text and token usage. */
  z.object({
    type: z.literal('done'),
    conversation_id: z.string(),
    session_id: z.optional(z.string()),
    message_id: z.string(),
    response: z.string(),
    finish_reason: z.enum(['stop', 'cancelled']),
    usage: z.optional(Usage),
    /** The passages of the caller's files the reply drew on (file-aware chat), best first. */
    sources: z.optional(z.array(FileSource)),
  }),
  /**
   * After `done`, when after-reply modules (seed 003's stages 4–5) were triggered: what each did.
   * A failed or cancelled module is reported here; the reply before it is kept.
   */
  z.object({
    type: z.literal('post_response'),
    message_id: z.string(),
    modules: z.array(ModuleRunReport),
  }),
  /** The reply failed; the text so far is kept. */
  z.object({
    type: z.literal('error'),
    code: z.string(),
    message: z.string(),
    retryable: z.boolean(),
  }),
  /** The server stopped (restart, crash) before the reply was complete; what was stored was sent. */
  z.object({ type: z.literal('incomplete'), message_id: z.string(), reason: z.string() }),
]);
export type ChatStreamFrame = z.infer<typeof ChatStreamFrame>;
