import {
  type AssistantMessageContent,
  type AssistantMessageItem,
  type ClientToolCallItem,
  StructuredInputQuestion,
  type ThreadItemUpdate,
  type ThreadStreamEvent,
} from '@cartrita/contracts';
import { MockContractError } from './errors.js';
import { newId, now } from './ids.js';
import { type ReplyPart, type ResponderContext, splitDeltas } from './responder.js';
import type { CartritaStore, ThreadRecord } from './store.js';

/** What a turn has started but not finished, so a cancelled stream can save it. */
export interface TurnState {
  /** The assistant message being streamed, with the text so far. */
  pending?: AssistantMessageItem & { content: [AssistantMessageContent] };
  completed: boolean;
}

/** What the assistant is answering, without the thread (filled in by {@link respond}). */
export type TurnInput = Omit<ResponderContext, 'thread' | 'items'>;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const updated = (itemId: string, update: ThreadItemUpdate): ThreadStreamEvent => ({
  type: 'thread.item.updated',
  item_id: itemId,
  update,
});

async function* streamText(
  store: CartritaStore,
  thread: ThreadRecord,
  part: Extract<ReplyPart, { type: 'text' }>,
  turn: TurnState,
): AsyncGenerator<ThreadStreamEvent> {
  const item: AssistantMessageItem = {
    id: newId('message'),
    thread_id: thread.id,
    created_at: now(),
    type: 'assistant_message',
    content: [],
  };
  yield { type: 'thread.item.added', item };
  const content: AssistantMessageContent = { annotations: [], text: '', type: 'output_text' };
  turn.pending = { ...item, content: [content] };
  yield updated(item.id, {
    type: 'assistant_message.content_part.added',
    content_index: 0,
    content: { ...content },
  });
  for (const delta of splitDeltas(part.text)) {
    if (store.paceMs > 0) await sleep(store.paceMs);
    content.text += delta;
    yield updated(item.id, { type: 'assistant_message.content_part.text_delta', content_index: 0, delta });
  }
  const final: AssistantMessageContent = {
    annotations: part.annotations ?? [],
    text: part.text,
    type: 'output_text',
  };
  yield updated(item.id, { type: 'assistant_message.content_part.done', content_index: 0, content: final });
  const done: AssistantMessageItem = { ...item, content: [final] };
  store.saveItem(thread, done);
  turn.pending = undefined;
  yield { type: 'thread.item.done', item: done };
}

/**
 * The assistant's part of a turn: asks the store for the next reply and streams it, saving each item
 * when it is done. A responder that throws becomes `{"type":"error","code":"stream.error"}`, as the
 * official server does with any exception inside `respond`.
 */
export async function* respond(
  store: CartritaStore,
  thread: ThreadRecord,
  input: TurnInput,
  turn: TurnState,
): AsyncGenerator<ThreadStreamEvent> {
  let parts: readonly ReplyPart[];
  try {
    const reply = await store.nextReply({
      ...input,
      thread: store.toThread(thread),
      items: store.visibleItems(thread),
    });
    parts = typeof reply === 'string' ? [{ type: 'text', text: reply }] : reply;
  } catch {
    yield { type: 'error', code: 'stream.error', allow_retry: true };
    return;
  }
  const base = () => ({ id: newId('message'), thread_id: thread.id, created_at: now() });
  for (const part of parts) {
    switch (part.type) {
      case 'text':
        yield* streamText(store, thread, part, turn);
        break;
      case 'progress':
        yield {
          type: 'progress_update',
          ...(part.icon !== undefined ? { icon: part.icon } : {}),
          text: part.text,
        };
        break;
      case 'notice':
        yield {
          type: 'notice',
          level: part.level,
          message: part.message,
          ...(part.title !== undefined ? { title: part.title } : {}),
        };
        break;
      case 'client_tool_call': {
        const item: ClientToolCallItem = {
          id: newId('clientToolCall'),
          thread_id: thread.id,
          created_at: now(),
          type: 'client_tool_call',
          status: 'pending',
          call_id: part.call_id ?? `call_${newId('clientToolCall').slice(3)}`,
          name: part.name,
          arguments: part.arguments ?? {},
        };
        store.saveItem(thread, item);
        yield { type: 'thread.item.done', item };
        break;
      }
      case 'widget': {
        const item = {
          ...base(),
          type: 'widget' as const,
          widget: part.widget,
          ...(part.copy_text !== undefined ? { copy_text: part.copy_text } : {}),
        };
        store.saveItem(thread, item);
        yield { type: 'thread.item.done', item };
        break;
      }
      case 'structured_input': {
        const inputs = part.inputs.map((question) => {
          const parsed = StructuredInputQuestion.safeParse(question);
          if (!parsed.success) {
            throw new MockContractError(
              `A scripted structured_input question is invalid: ${parsed.error.message}`,
            );
          }
          return parsed.data;
        });
        const item = { ...base(), type: 'structured_input' as const, status: 'pending' as const, inputs };
        store.saveItem(thread, item);
        yield { type: 'thread.item.done', item };
        break;
      }
      case 'error':
        yield {
          type: 'error',
          code: part.code ?? 'custom',
          ...(part.message !== undefined ? { message: part.message } : {}),
          allow_retry: part.allow_retry ?? false,
        };
        break;
    }
  }
}

/** Text of the hidden item the official server stores when a stream is cancelled. */
export const CANCELLED_CONTEXT = 'The user cancelled the stream. Stop responding to the prior request.';

/** Stores the hidden note that tells the model a reply in `thread` was cut short. */
export const saveCancelledNote = (store: CartritaStore, thread: ThreadRecord): void => {
  store.saveItem(thread, {
    id: newId('hiddenContext'),
    thread_id: thread.id,
    created_at: now(),
    type: 'sdk_hidden_context',
    content: CANCELLED_CONTEXT,
  });
};

/**
 * Runs the events of a turn. If the stream stops early (the client aborted, or a scenario cut it),
 * it does what the official server's `handle_stream_cancelled` does: the partial assistant message
 * is saved when it has text, followed by a hidden `sdk_hidden_context` item.
 */
export async function* turnStream(
  store: CartritaStore,
  thread: ThreadRecord,
  body: (turn: TurnState) => AsyncGenerator<ThreadStreamEvent>,
): AsyncGenerator<ThreadStreamEvent> {
  const turn: TurnState = { completed: false };
  try {
    yield* body(turn);
    turn.completed = true;
  } finally {
    if (!turn.completed && store.thread(thread.id)) {
      const pending = turn.pending;
      if (pending && pending.content[0].text.trim() !== '') store.saveItem(thread, pending);
      saveCancelledNote(store, thread);
    }
  }
}
