/**
 * @module Scripted replies: the mock's provider plays the replies a test queues, and otherwise answers
 * exactly as the reference server's built-in `demo` provider does.
 */
import type { Annotation, StructuredInputQuestion, WidgetRoot } from '@cartrita/contracts';
import { type ChatMessage, type ChatProvider, type ProviderChunk, tokenize } from '@cartrita/engine';
import type * as z from 'zod/mini';

/**
 * One piece of a scripted assistant reply. Text is streamed word by word; the other kinds drive the
 * richer parts of the protocol. A `client_tool_call` or `structured_input` waits for the client's
 * answer, so it should be the last part of a reply.
 */
export type ReplyPart =
  | { type: 'text'; text: string; annotations?: Annotation[] }
  | { type: 'progress'; text: string; icon?: string }
  | { type: 'notice'; level: 'info' | 'warning' | 'danger'; message: string; title?: string }
  | { type: 'client_tool_call'; name: string; arguments?: Record<string, unknown> }
  | { type: 'widget'; widget: WidgetRoot; copy_text?: string }
  | { type: 'structured_input'; inputs: z.input<typeof StructuredInputQuestion>[] }
  | { type: 'error'; message?: string; code?: 'custom' | 'stream.error'; allow_retry?: boolean };

/** A scripted reply: markdown text (streamed as one assistant message) or a list of parts. */
export type Reply = string | readonly ReplyPart[];

/** What the assistant is answering: the conversation as the provider sees it. */
export interface ResponderContext {
  /** Every message of the conversation so far, oldest first, the one being answered last. */
  readonly messages: readonly ChatMessage[];
}

/** Computes the assistant's reply to one turn. */
export type Responder = (context: ResponderContext) => Reply | Promise<Reply>;

/** What `store.respondWith` accepts: a fixed reply or a function of the turn. */
export type ReplyScript = Reply | Responder;

/** A provider that plays queued replies before it falls back to another one. */
export interface ScriptedProvider extends ChatProvider {
  /** Queues replies, one per turn, played before the fallback answers again. */
  respondWith(...scripts: ReplyScript[]): void;
  /** How many queued replies are left. */
  readonly queued: number;
  /** Forgets the queued replies. */
  clear(): void;
}

/** The text part of a reply as provider chunks, word by word. */
const words = (text: string): ProviderChunk[] => tokenize(text).map((delta) => ({ type: 'text', delta }));

const chunksOf = (reply: Reply): ProviderChunk[] => {
  if (typeof reply === 'string') return words(reply);
  return reply.flatMap((part): ProviderChunk[] => {
    switch (part.type) {
      case 'text':
        return words(part.text);
      case 'progress':
        return [{ type: 'progress', text: part.text, ...(part.icon ? { icon: part.icon } : {}) }];
      case 'notice':
        return [
          {
            type: 'notice',
            level: part.level,
            message: part.message,
            ...(part.title ? { title: part.title } : {}),
          },
        ];
      case 'client_tool_call':
        return [{ type: 'client_tool_call', name: part.name, arguments: part.arguments ?? {} }];
      case 'widget':
        return [
          { type: 'widget', widget: part.widget, ...(part.copy_text ? { copyText: part.copy_text } : {}) },
        ];
      case 'structured_input':
        return [{ type: 'structured_input', inputs: part.inputs as StructuredInputQuestion[] }];
      default:
        // An error part ends the reply; it is played after the other parts (see `stream`).
        return [];
    }
  });
};

/**
 * Wraps a provider (the demo provider, in the mocks) so that tests can script the next replies.
 * A reply's `error` part with code `stream.error` fails the turn as an unexpected provider failure
 * does; with code `custom` (the default) it is the provider's own error message.
 *
 * @example
 * const provider = createScriptedProvider(createDemoProvider({ paceMs: 0 }));
 * provider.respondWith('First reply', [{ type: 'progress', text: 'Looking...' }, { type: 'text', text: 'Found it.' }]);
 */
export const createScriptedProvider = (fallback: ChatProvider): ScriptedProvider => {
  const queue: ReplyScript[] = [];
  return {
    name: fallback.name,
    defaultModel: fallback.defaultModel,
    ...(fallback.tools ? { tools: fallback.tools } : {}),
    ...(fallback.action ? { action: fallback.action.bind(fallback) } : {}),
    get queued() {
      return queue.length;
    },
    respondWith(...scripts) {
      queue.push(...scripts);
    },
    clear() {
      queue.length = 0;
    },
    async *stream(request) {
      const script = queue.shift();
      if (script === undefined) {
        yield* fallback.stream(request);
        return;
      }
      const reply = typeof script === 'function' ? await script({ messages: request.messages }) : script;
      for (const chunk of chunksOf(reply)) {
        if (request.signal.aborted) throw request.signal.reason;
        yield chunk;
        // Let a client see the reply stream, and cancel it, as it would a model's.
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      const failure = typeof reply === 'string' ? undefined : reply.find((part) => part.type === 'error');
      if (failure?.type === 'error') {
        if (failure.code === 'stream.error') throw new Error(failure.message ?? 'The scripted reply failed');
        yield {
          type: 'error',
          message: failure.message ?? 'The scripted reply failed.',
          allowRetry: failure.allow_retry ?? true,
        };
      }
    },
  };
};
