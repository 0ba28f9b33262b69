/** @module Saving a turn's events by the protocol's rules, and what a client may see of them. */
import type { AssistantMessageItem, ThreadItemUpdate, ThreadStreamEvent } from '@cartrita/contracts';
import { hiddenItemTypes } from '@cartrita/contracts';
import { newId, now } from '../ids.js';
import { GrowingText } from '../text.js';
import type { ChatKitRepositories, StoredItem } from './repositories.js';
import { findValue, setComponentValue } from './widgets.js';

/** The hidden note saved when a user stops a reply, so the model knows the reply was cut short. */
export const cancelledNote =
  'The user cancelled the stream. The last assistant message may be incomplete; do not repeat it unless asked.';

/** Applies an item update to a pending item, as a client would. */
export const applyUpdate = (item: StoredItem, update: ThreadItemUpdate): StoredItem => {
  switch (update.type) {
    case 'assistant_message.content_part.added':
    case 'assistant_message.content_part.done':
    case 'assistant_message.content_part.text_delta':
    case 'assistant_message.content_part.annotation_added': {
      const content = [...((item.content as AssistantMessageItem['content']) ?? [])];
      while (content.length <= update.content_index)
        content.push({ type: 'output_text', text: '', annotations: [] });
      const part = content[update.content_index]!;
      if (update.type === 'assistant_message.content_part.text_delta') {
        content[update.content_index] = { ...part, text: part.text + update.delta };
      } else if (update.type === 'assistant_message.content_part.annotation_added') {
        const annotations = [...part.annotations];
        annotations.splice(Math.min(update.annotation_index, annotations.length), 0, update.annotation);
        content[update.content_index] = { ...part, annotations };
      } else {
        content[update.content_index] = update.content;
      }
      return { ...item, content };
    }
    case 'widget.root.updated':
      return { ...item, widget: update.widget };
    case 'widget.streaming_text.value_delta': {
      const current = findValue(item.widget, update.component_id) ?? '';
      return { ...item, widget: setComponentValue(item.widget, update.component_id, current + update.delta) };
    }
    default:
      return item;
  }
};

const hasText = (item: StoredItem): boolean =>
  item.type === 'assistant_message' &&
  Array.isArray(item.content) &&
  (item.content as { text: string }[]).some((part) => part.text.length > 0);

/** What {@link saveEvents} does around the events it saves. */
export interface SaveHooks {
  /** Events that come before the stream's own. */
  lead?: readonly ThreadStreamEvent[];
  /** Called with each event a client may see, before it is passed on. */
  seen?(event: ThreadStreamEvent): void;
  /** The event that ends a stream that failed; without it, the error is thrown. */
  failed?(error: unknown): ThreadStreamEvent;
  /** The events that follow once the stream has ended, unless it failed or was cancelled. */
  after?(): AsyncIterable<ThreadStreamEvent>;
}

/**
 * Persists a stream of events by the protocol's rules and filters what the client may see:
 * `added` items are only tracked as pending; `done` and `replaced` save; `removed` deletes; hidden
 * items are saved but never sent. When the signal aborts, non-empty pending assistant messages are
 * saved with a hidden note that the user cancelled.
 */
export function persistEvents(
  store: Pick<ChatKitRepositories, 'items'>,
  threadId: string,
  events: AsyncIterable<ThreadStreamEvent>,
  signal: AbortSignal,
): AsyncGenerator<ThreadStreamEvent> {
  return saveEvents(store, threadId, events, signal);
}

/**
 * {@link persistEvents} with what a turn does around it, in the same generator: a reply's tokens pass
 * through every generator between the provider and the connection, and each one is a few hundred
 * bytes per open reply.
 */
export async function* saveEvents(
  store: Pick<ChatKitRepositories, 'items'>,
  threadId: string,
  events: AsyncIterable<ThreadStreamEvent>,
  signal: AbortSignal,
  hooks: SaveHooks = {},
): AsyncGenerator<ThreadStreamEvent> {
  const pending = new Map<string, StoredItem>();
  // The text deltas of pending items, by item and content part, applied only when the item is
  // needed whole: applying each one as it comes would rebuild the item and grow its text as a rope
  // of one node per token for as long as the reply streams.
  const deltas = new Map<string, Map<number, GrowingText>>();
  const applyDeltas = (itemId: string) => {
    const texts = deltas.get(itemId);
    const item = pending.get(itemId);
    deltas.delete(itemId);
    if (!texts || !item) return;
    let updated = item;
    for (const [index, text] of texts) {
      updated = applyUpdate(updated, {
        type: 'assistant_message.content_part.text_delta',
        content_index: index,
        delta: text.toString(),
      });
    }
    pending.set(itemId, updated);
  };
  const isHidden = (item: { type: string }) => hiddenItemTypes.includes(item.type);
  const iterator = events[Symbol.asyncIterator]();
  const lead = hooks.lead ?? [];
  let led = 0;
  let failure: { error: unknown } | undefined;
  try {
    while (!signal.aborted) {
      const { value: event, done } =
        led < lead.length ? { value: lead[led++]!, done: false } : await iterator.next();
      if (done) break;
      switch (event.type) {
        case 'thread.item.added':
          pending.set(event.item.id, structuredClone(event.item) as StoredItem);
          break;
        case 'thread.item.updated': {
          const { item_id: itemId, update } = event;
          if (!pending.has(itemId)) break;
          if (update.type === 'assistant_message.content_part.text_delta') {
            let texts = deltas.get(itemId);
            if (!texts) {
              texts = new Map();
              deltas.set(itemId, texts);
            }
            const text = texts.get(update.content_index);
            if (text) text.append(update.delta);
            else texts.set(update.content_index, new GrowingText(update.delta));
          } else {
            applyDeltas(itemId);
            pending.set(itemId, applyUpdate(pending.get(itemId)!, update));
          }
          break;
        }
        case 'thread.item.done':
        case 'thread.item.replaced':
          pending.delete(event.item.id);
          deltas.delete(event.item.id);
          await store.items.save(threadId, event.item as StoredItem);
          if (isHidden(event.item)) continue;
          break;
        case 'thread.item.removed':
          pending.delete(event.item_id);
          deltas.delete(event.item_id);
          await store.items.delete(threadId, event.item_id);
          break;
        default:
          break;
      }
      hooks.seen?.(event);
      yield event;
    }
  } catch (error) {
    if (!signal.aborted) {
      if (!hooks.failed) throw error;
      failure = { error };
    }
  } finally {
    if (signal.aborted) {
      await iterator.return?.();
      for (const itemId of [...deltas.keys()]) applyDeltas(itemId);
      await saveCancelled(store, threadId, [...pending.values()]);
    }
  }
  if (failure) yield hooks.failed!(failure.error);
  else if (!signal.aborted && hooks.after) yield* hooks.after();
}

const saveCancelled = async (
  store: Pick<ChatKitRepositories, 'items'>,
  threadId: string,
  pending: StoredItem[],
) => {
  const partial = pending.filter(hasText);
  for (const item of partial) await store.items.save(threadId, item);
  await store.items.save(threadId, {
    id: newId('hiddenContext'),
    thread_id: threadId,
    created_at: now(),
    type: 'sdk_hidden_context',
    content: cancelledNote,
  });
};
