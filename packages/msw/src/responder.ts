import type {
  Action,
  Annotation,
  ClientToolCallItem,
  StructuredInputItem,
  StructuredInputQuestion,
  Thread,
  ThreadItem,
  UserMessageItem,
  WidgetItem,
  WidgetRoot,
} from '@cartrita/contracts';
import type * as z from 'zod/mini';

/**
 * One piece of a scripted assistant reply. Text is streamed as several `text_delta`s; the other
 * kinds drive the richer parts of the protocol. A `client_tool_call` or `structured_input` waits for
 * the client's answer, so it should be the last part of a reply.
 */
export type ReplyPart =
  | { type: 'text'; text: string; annotations?: Annotation[] }
  | { type: 'progress'; text: string; icon?: string }
  | { type: 'notice'; level: 'info' | 'warning' | 'danger'; message: string; title?: string }
  | { type: 'client_tool_call'; name: string; arguments?: Record<string, unknown>; call_id?: string }
  | { type: 'widget'; widget: WidgetRoot; copy_text?: string }
  | { type: 'structured_input'; inputs: z.input<typeof StructuredInputQuestion>[] }
  | { type: 'error'; message?: string; code?: 'custom' | 'stream.error'; allow_retry?: boolean };

/** A scripted reply: markdown text (streamed as one assistant message) or a list of parts. */
export type Reply = string | readonly ReplyPart[];

/** What the assistant is answering, handed to a {@link Responder}. */
export interface ResponderContext {
  /** The request type that started the turn. */
  readonly type:
    | 'threads.create'
    | 'threads.add_user_message'
    | 'threads.retry_after_item'
    | 'threads.add_client_tool_output'
    | 'threads.add_structured_input'
    | 'threads.custom_action';
  /** The thread, with an empty items page. */
  readonly thread: Thread;
  /** Every visible item of the thread so far, oldest first. */
  readonly items: readonly ThreadItem[];
  /** The user message being answered (create, add_user_message, retry_after_item). */
  readonly input?: UserMessageItem;
  /** The client tool call the client just completed (add_client_tool_output). */
  readonly toolCall?: ClientToolCallItem;
  /** The form the user just answered (add_structured_input). */
  readonly structuredInput?: StructuredInputItem;
  /** The widget action being run (custom_action), and the widget that sent it, if any. */
  readonly action?: Action;
  readonly widget?: WidgetItem;
}

/** Computes the assistant's reply to one turn. */
export type Responder = (context: ResponderContext) => Reply | Promise<Reply>;

/** What `store.respondWith` accepts: a fixed reply or a function of the turn. */
export type ReplyScript = Reply | Responder;

/** The plain text of a user message (tags included as their text). */
export const textOf = (message: UserMessageItem): string => message.content.map((part) => part.text).join('');

/**
 * Splits text into the deltas a model would stream: each word with the whitespace before it, so the
 * joined deltas are exactly the text.
 */
export const splitDeltas = (text: string): string[] => text.match(/\s*\S+|\s+$/g) ?? [];

/** A thread title from the first message: its first words, at most 40 characters. */
export const titleFrom = (text: string): string => {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (!clean) return 'New conversation';
  if (clean.length <= 40) return clean;
  const cut = clean.slice(0, 40);
  const space = cut.lastIndexOf(' ');
  return `${(space > 20 ? cut.slice(0, space) : cut).trimEnd()}…`;
};

/**
 * The default assistant: a deterministic markdown reply derived from the user's text, so a test can
 * predict it. It also answers tool outputs, forms and widget actions.
 */
export const defaultResponder: Responder = (context) => {
  if (context.toolCall) {
    return `The page answered the **${context.toolCall.name}** tool:\n\n\`\`\`json\n${JSON.stringify(context.toolCall.output ?? null)}\n\`\`\``;
  }
  if (context.structuredInput) {
    return context.structuredInput.status === 'skipped'
      ? 'No problem, we can skip the questions.'
      : 'Thanks, I have your answers.';
  }
  if (context.action) return `Action \`${context.action.type}\` received.`;
  const text = context.input ? textOf(context.input).trim() : '';
  const words = text ? text.split(/\s+/).length : 0;
  const lines = [
    `You said: *${text.replace(/[*_`]/g, '') || '(nothing)'}*`,
    '',
    'This is a **mock** reply from `@cartrita/msw`.',
    '',
    `- words: ${words}`,
    `- characters: ${text.length}`,
  ];
  const attachments = context.input?.attachments ?? [];
  if (attachments.length > 0) lines.push(`- attachments: ${attachments.map((a) => a.name).join(', ')}`);
  return lines.join('\n');
};
