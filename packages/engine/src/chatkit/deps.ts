/** @module What the ChatKit area needs from the world, and who a request acts for. */

import type { ModuleRunReport } from '@cartrita/contracts';
import type { BlobStore } from '../blobs.js';
import type { AgentChoice } from '../chat/chat-service.js';
import type { ReplySlots } from '../chat/reply-slots.js';
import type { AfterReplyTurn } from '../personas/after-reply.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { ChatMessage } from '../providers/types.js';
import type { UploadLimits } from '../uploads/policy.js';
import type { AttachmentUrlSigner } from './attachment-urls.js';
import type { ChatKitRepositories, StoredThread } from './repositories.js';
import type { TurnStats } from './respond.js';

/** Who is calling and how to reach them. */
export interface ChatKitContext {
  userId: string;
  /** The server's public origin, for upload and preview URLs. */
  baseUrl: string;
  /** Aborted when the client disconnects or cancels. */
  signal: AbortSignal;
  /** Whether the caller may use a provider (an API key's provider scopes); default any. */
  allowProvider?: (provider: string) => boolean;
}

/** What the ChatKit area's services need. */
export interface ChatKitDeps {
  repositories: ChatKitRepositories;
  blobs: BlobStore;
  urls: AttachmentUrlSigner;
  limits: UploadLimits;
  providers: ProviderRegistry;
  /** The replies that may run at once; a streaming request past them is refused with 503. */
  slots?: ReplySlots;
  /** Called after every assistant turn, for metrics and logs. */
  onTurn?(stats: TurnStats & { threadId: string }): void;
  /** Called with a failure that was turned into an `error` event, to log it once. */
  onStreamError?(error: unknown): void;
  /**
   * The system prompt of a turn in `thread` (seed 003: its persona's template, resolved over the
   * user's modules); none when it has no persona.
   */
  systemPrompt?(request: {
    userId: string;
    thread: StoredThread;
    text: string;
    /** Aborted when the turn is cancelled. */
    signal?: AbortSignal;
    /** Told what could not be resolved (a module's script failing, a cycle): the prompt goes without it. */
    failed?(message: string): void;
  }): Promise<string | undefined>;
  /**
   * Stages 4–5 of a completed turn (seed 003): runs the user's after-reply modules that the message
   * triggered and keeps what they did on the assistant message. Never throws.
   */
  afterReply?(turn: AfterReplyTurn): Promise<ModuleRunReport[]>;
  /** Checks that a persona named by a chat request is the user's (404 otherwise). */
  checkPersona?(userId: string, personaId: string): Promise<void>;
  /**
   * What an agent of `GET /api/agents` picks (a persona, or a provider and model), when `agentId`
   * names one; `undefined` when it names none. `/chatkit` reads `inference_options.model` with it.
   */
  findAgent?(agentId: string, userId: string): Promise<AgentChoice | undefined>;
  /** Messages to put before a turn's history: what the memory area recalls for it. */
  recall?(request: {
    userId: string;
    threadId: string;
    messages: readonly ChatMessage[];
  }): Promise<ChatMessage[]>;
  /** `input.transcribe`: base64 audio to text, by the voice area's rules; absent, it is a 503. */
  transcribe?(audioBase64: string, signal: AbortSignal): Promise<{ text: string }>;
  /**
   * Called with every `/chatkit` turn that completed with the assistant's text, before its stream
   * ends: the memory area keeps it as the chat doors' exchanges are kept. Failures are the callee's
   * to log; they must not end the stream.
   */
  onExchange?(exchange: ChatExchange): Promise<unknown>;
}

/** A user's message and the assistant's complete reply to it, as the memory area keeps them. */
export interface ChatExchange {
  userId: string;
  threadId: string;
  messageId: string;
  userMessage: string;
  reply: string;
}
