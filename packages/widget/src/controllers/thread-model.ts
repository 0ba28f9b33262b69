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

/** A thread's metadata: the thread without its items. */
export const threadMeta = ({ items: _items, ...meta }: Thread): ThreadMeta => meta;

/**
 * How a streamed item was cut short: `stopped` by the user, or `incomplete` because its reply failed
 * (a lost connection, a server error) before the item was done.
 */
export type ItemEnding = 'stopped' | 'incomplete';

/**
 * The items of one thread, in order, with what the stream says about each: `pending` items were added
 * and not done yet; `ended` ones were cut short ({@link ItemEnding}). Everything here is plain data,
 * applied by {@link ThreadModel.apply}; rendering reads it.
 */
export class ThreadModel {
  /** The thread, once the server created or loaded it. */
  thread: ThreadMeta | undefined;
  /** The items, oldest first. */
  items: ThreadItem[] = [];
  /** Ids of items added by the stream and not done yet. */
  readonly pending = new Set<string>();
  /** Items cut short while they streamed, by id. */
  readonly ended = new Map<string, ItemEnding>();

  /** Replaces everything with a loaded thread (or nothing, for a new conversation). */
  reset(thread?: Thread, items: ThreadItem[] = thread?.items.data ?? []): void {
    this.thread = thread && threadMeta(thread);
    this.items = [...items];
    this.pending.clear();
    this.ended.clear();
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
      case 'thread.updated':
        this.thread = threadMeta(event.thread);
        return true;
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
    const index = this.#indexOf(itemId);
    if (index === -1) return;
    for (const { id } of this.items.splice(index + 1)) {
      this.pending.delete(id);
      this.ended.delete(id);
    }
  }

  /** Marks the items still streaming as cut short, and no longer pending. */
  endPending(ending: ItemEnding): void {
    for (const id of this.pending) this.ended.set(id, ending);
    this.pending.clear();
  }

  /** The newest user message, the target of a retry. */
  lastUserMessage(): ThreadItem | undefined {
    return this.items.findLast((item) => item.type === 'user_message');
  }

  /** The user message an item answers: the closest one before it. */
  userMessageBefore(itemId: string): ThreadItem | undefined {
    const index = this.#indexOf(itemId);
    return this.items.findLast((item, position) => position < index && item.type === 'user_message');
  }

  /** The position of the item with an id; -1 when there is none. */
  #indexOf(id: string): number {
    return this.items.findIndex((item) => item.id === id);
  }

  #put(item: ThreadItem): void {
    const index = this.#indexOf(item.id);
    if (index === -1) this.items.push(item);
    else this.items[index] = item;
  }

  #update(id: string, update: ThreadItemUpdate): boolean {
    const index = this.#indexOf(id);
    const current = this.items[index];
    if (!current) return false;
    // A fresh object per change, so that views comparing items by identity see it.
    const item = { ...current };
    if (update.type.startsWith('assistant_message.')) {
      if (item.type !== 'assistant_message') return false;
      item.content = [...item.content];
      applyAssistantUpdate(item.content, update);
    } else if (item.type === 'widget' && update.type.startsWith('widget.')) {
      item.widget = applyWidgetUpdate(item.widget, update);
    } else if (item.type === 'workflow' && 'task_index' in update) {
      const tasks = [...item.workflow.tasks];
      if (update.type === 'workflow.task.added') tasks.splice(update.task_index, 0, update.task);
      else tasks[update.task_index] = update.task;
      item.workflow = { ...item.workflow, tasks };
    } else if (item.type === 'generated_image' && update.type === 'generated_image.updated') {
      item.image = update.image;
    } else return false;
    this.items[index] = item;
    return true;
  }
}

/**
 * Applies an `assistant_message.content_part.*` update to the parts of a message, in place: pad the
 * parts up to `content_index`; `added` and `done` replace the part, `text_delta` appends to its text,
 * `annotation_added` inserts at `annotation_index` (appends when past the end).
 */
export const applyAssistantUpdate = (parts: AssistantMessageContent[], update: ThreadItemUpdate): void => {
  if (!('content_index' in update)) return;
  const at = update.content_index;
  while (parts.length <= at) parts.push({ type: 'output_text', text: '', annotations: [] });
  const part = parts[at]!;
  switch (update.type) {
    case 'assistant_message.content_part.added':
    case 'assistant_message.content_part.done':
      parts[at] = update.content;
      break;
    case 'assistant_message.content_part.text_delta':
      parts[at] = { ...part, text: part.text + update.delta };
      break;
    case 'assistant_message.content_part.annotation_added': {
      const annotations = [...part.annotations];
      // Past the end, `splice` appends.
      annotations.splice(update.annotation_index, 0, update.annotation);
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
  if (!('component_id' in update)) return root;
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
