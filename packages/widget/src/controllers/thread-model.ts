/**
 * @module The client-side state of one thread and the rules that apply ChatKit stream events to it,
 * as `chatkit-python`'s `_apply_assistant_message_update` defines them.
 */
import type {
  AssistantMessageContent,
  Thread,
  ThreadItem,
  ThreadItemUpdate,
  ThreadStreamEvent,
  WidgetRoot,
} from '@cartrita/contracts';

/** A thread's metadata, without its items. */
export type ThreadMeta = Omit<Thread, 'items'>;

type WidgetNode = {
  type?: unknown;
  id?: unknown;
  value?: unknown;
  children?: unknown;
  [key: string]: unknown;
};

const emptyPart = (): AssistantMessageContent => ({ type: 'output_text', text: '', annotations: [] });

/**
 * The items of one thread, in order, with what the stream says about each: `pending` items were added
 * and not done yet; `stopped` ones were cut short by the user. Everything here is plain data, applied
 * by {@link ThreadModel.apply}; rendering reads it.
 */
export class ThreadModel {
  /** The thread, once the server created or loaded it. */
  thread: ThreadMeta | undefined;
  /** The items, oldest first. */
  items: ThreadItem[] = [];
  /** Ids of items added by the stream and not done yet. */
  readonly pending = new Set<string>();
  /** Ids of items the user stopped while they streamed. */
  readonly stopped = new Set<string>();

  /** Replaces everything with a loaded thread (or nothing, for a new conversation). */
  reset(thread?: Thread, items: ThreadItem[] = thread?.items.data ?? []): void {
    if (thread) {
      const { items: _items, ...meta } = thread;
      this.thread = meta;
    } else this.thread = undefined;
    this.items = [...items];
    this.pending.clear();
    this.stopped.clear();
  }

  /** The item with an id. */
  get(id: string): ThreadItem | undefined {
    return this.items.find((item) => item.id === id);
  }

  /**
   * Applies one stream event. Returns whether the thread or its items changed; events that are not
   * about items (`progress_update`, `notice`, ...) return `false` and are the caller's business.
   */
  apply(event: ThreadStreamEvent): boolean {
    switch (event.type) {
      case 'thread.created':
      case 'thread.updated': {
        const { items: _items, ...meta } = event.thread;
        this.thread = meta;
        return true;
      }
      case 'thread.item.added':
        this.#put(event.item);
        this.pending.add(event.item.id);
        return true;
      case 'thread.item.done':
      case 'thread.item.replaced':
        this.#put(event.item);
        this.pending.delete(event.item.id);
        return true;
      case 'thread.item.removed':
        this.items = this.items.filter((item) => item.id !== event.item_id);
        this.pending.delete(event.item_id);
        return true;
      case 'thread.item.updated':
        return this.#update(event.item_id, event.update);
      default:
        return false;
    }
  }

  /**
   * Drops every item after a user message, as the server does for `threads.retry_after_item` (it
   * sends no `thread.item.removed` events for them).
   */
  truncateAfter(itemId: string): void {
    const index = this.items.findIndex((item) => item.id === itemId);
    if (index === -1) return;
    for (const item of this.items.splice(index + 1)) this.pending.delete(item.id);
  }

  /** Marks the items still streaming as stopped by the user, and no longer pending. */
  stopPending(): void {
    for (const id of this.pending) this.stopped.add(id);
    this.pending.clear();
  }

  /** The newest user message, the target of a retry. */
  lastUserMessage(): ThreadItem | undefined {
    return this.items.findLast((item) => item.type === 'user_message');
  }

  /** The user message an item answers: the closest one before it. */
  userMessageBefore(itemId: string): ThreadItem | undefined {
    const index = this.items.findIndex((item) => item.id === itemId);
    return this.items.slice(0, Math.max(index, 0)).findLast((item) => item.type === 'user_message');
  }

  #put(item: ThreadItem): void {
    const index = this.items.findIndex((existing) => existing.id === item.id);
    if (index === -1) this.items.push(item);
    else this.items[index] = item;
  }

  #update(id: string, update: ThreadItemUpdate): boolean {
    const index = this.items.findIndex((existing) => existing.id === id);
    const current = this.items[index];
    if (!current) return false;
    // A fresh object per change, so that views comparing items by identity see it.
    const item = structuredCloneShallow(current);
    if (update.type.startsWith('assistant_message.')) {
      if (item.type !== 'assistant_message') return false;
      applyAssistantUpdate(item.content, update);
    } else if (item.type === 'widget' && update.type.startsWith('widget.')) {
      item.widget = applyWidgetUpdate(item.widget, update);
    } else if (item.type === 'workflow' && update.type.startsWith('workflow.')) {
      const u = update as Extract<
        ThreadItemUpdate,
        { type: 'workflow.task.added' | 'workflow.task.updated' }
      >;
      const tasks = [...item.workflow.tasks];
      if (u.type === 'workflow.task.added') tasks.splice(u.task_index, 0, u.task);
      else tasks[u.task_index] = u.task;
      item.workflow = { ...item.workflow, tasks };
    } else if (item.type === 'generated_image' && update.type === 'generated_image.updated') {
      item.image = update.image;
    } else return false;
    this.items[index] = item;
    return true;
  }
}

const structuredCloneShallow = <T extends object>(value: T): T => {
  const copy = { ...value } as T & { content?: unknown };
  if (Array.isArray(copy.content)) copy.content = [...copy.content];
  return copy;
};

/**
 * Applies an `assistant_message.content_part.*` update to the parts of a message, in place: pad the
 * parts up to `content_index`; `added` and `done` replace the part, `text_delta` appends to its text,
 * `annotation_added` inserts at `annotation_index` (appends when past the end).
 */
export const applyAssistantUpdate = (parts: AssistantMessageContent[], update: ThreadItemUpdate): void => {
  if (!('content_index' in update)) return;
  const at = update.content_index;
  while (parts.length <= at) parts.push(emptyPart());
  const part = parts[at]!;
  switch (update.type) {
    case 'assistant_message.content_part.added':
    case 'assistant_message.content_part.done':
      parts[at] = { ...update.content, annotations: update.content.annotations ?? [] };
      break;
    case 'assistant_message.content_part.text_delta':
      parts[at] = { ...part, text: part.text + update.delta };
      break;
    case 'assistant_message.content_part.annotation_added': {
      const annotations = [...(part.annotations ?? [])];
      annotations.splice(Math.min(update.annotation_index, annotations.length), 0, update.annotation);
      parts[at] = { ...part, annotations };
      break;
    }
  }
};

/**
 * Applies a `widget.*` update and returns the new root: `root.updated` replaces it,
 * `component.updated` swaps the component with that id, `streaming_text.value_delta` appends to the
 * `value` of the Text or Markdown component with that id.
 */
export const applyWidgetUpdate = (root: WidgetRoot, update: ThreadItemUpdate): WidgetRoot => {
  if (update.type === 'widget.root.updated') return update.widget;
  if (update.type !== 'widget.component.updated' && update.type !== 'widget.streaming_text.value_delta')
    return root;
  const map = (node: WidgetNode): WidgetNode => {
    if (node.id === update.component_id) {
      if (update.type === 'widget.component.updated') return update.component;
      const value = typeof node.value === 'string' ? node.value : '';
      return { ...node, value: value + update.delta, streaming: !update.done };
    }
    if (!Array.isArray(node.children)) return node;
    return { ...node, children: node.children.map((child) => (isNode(child) ? map(child) : child)) };
  };
  return map(root) as WidgetRoot;
};

const isNode = (value: unknown): value is WidgetNode => typeof value === 'object' && value !== null;
