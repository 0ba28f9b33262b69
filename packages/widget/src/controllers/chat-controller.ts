/**
 * @module The conversation: sending, streaming the answer into the thread model, stop, retry, client
 * tools, forms, widget actions, feedback and loading threads.
 */
import type {
  Action,
  Attachment,
  ClientToolCallItem,
  ThreadItem,
  ThreadStreamEvent,
  UserMessageItem,
} from '@cartrita/contracts';
import type { ChatKit, ChatKitStreamEvent } from '@cartrita/sdk/chatkit';
import { isAPIError, type Stream } from '@cartrita/sdk/core';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { CartritaActionEvent } from '../events/action.js';
import { CartritaEffectEvent } from '../events/effect.js';
import { CartritaErrorEvent } from '../events/error.js';
import { CartritaLogEvent } from '../events/log.js';
import { CartritaResponseEndEvent } from '../events/response-end.js';
import { CartritaResponseStartEvent } from '../events/response-start.js';
import { CartritaThreadChangeEvent } from '../events/thread-change.js';
import { CartritaThreadLoadEndEvent, CartritaThreadLoadStartEvent } from '../events/thread-load.js';
import { CartritaToolCallEvent } from '../events/tool-call.js';
import { ThreadModel } from './thread-model.js';

/** The longest stretch of stream handling before the page gets a turn, in milliseconds. */
const SLICE_MS = 12;
/**
 * Runs a client tool for the assistant: receives the tool's name and arguments, returns the result
 * object sent back with `threads.add_client_tool_output`.
 */
export type ClientToolHook = (call: { name: string; params: Record<string, unknown> }) => unknown;

/** An entity tagged in a message (an @-mention): sent as an `input_tag` part before the text. */
export interface MessageTag {
  id: string;
  text: string;
  data?: Record<string, unknown> | undefined;
  group?: string | null | undefined;
  interactive?: boolean | undefined;
}

/** What goes with a message besides its text and files. */
export interface SendOptions {
  /** Entities tagged in the message. */
  tags?: MessageTag[] | undefined;
  /** The model to answer with (`inference_options.model`). */
  model?: string | null | undefined;
  /** The composer tool picked (`inference_options.tool_choice`). */
  toolChoice?: string | null | undefined;
}

/** A banner from a `notice` event; `message` is markdown. */
export interface Notice {
  level: 'info' | 'warning' | 'danger';
  message: string;
  title?: string | undefined;
}

/** A failure the view shows; `message` is the server's text, when it sent one for users. */
export interface ChatError {
  message?: string | undefined;
  /** Present when the failed step can be tried again. */
  retry?: (() => void) | undefined;
}

/** Options of {@link ChatController}. */
export interface ChatControllerOptions {
  /** The SDK client, once the session is ready. */
  client: () => ChatKit | undefined;
  /** The page's client tool hook, if any. */
  onClientTool?: () => ClientToolHook | undefined;
  /** Where events are dispatched: the element. */
  target: EventTarget;
}

/** A tool result that reports the tool's failure. */
const isFailure = (result: unknown): boolean =>
  typeof result === 'object' && result !== null && 'error' in result;

/** The id of the local copy of a message being sent: it has no server id yet. */
const LOCAL_USER_ID = '';
const MAX_ITEM_PAGES = 20;

/** The text of a user message's content. */
export const userText = (item: UserMessageItem): string => item.content.map((part) => part.text).join('');

/**
 * Owns one {@link ThreadModel} and every request that changes it. `busy` is set synchronously when a
 * streamed request starts, so a double click or a held Enter key sends once. Stopping aborts the
 * request: the partial answer stays, marked as stopped.
 */
export class ChatController implements ReactiveController {
  /** The thread shown. */
  readonly model = new ThreadModel();
  /** A streamed request is in flight. */
  busy = false;
  /** The server allows stopping the current answer. */
  allowCancel = false;
  /** Transient progress text from `progress_update`, until the next item arrives. */
  progress: string | undefined;
  /** Banners from `notice` events. */
  notices: Notice[] = [];
  /** The last failure, shown with a retry button when it can be retried. */
  error: ChatError | undefined;
  /** A thread is loading. */
  loading = false;
  /** Feedback given, by item id. */
  readonly feedback = new Map<string, 'positive' | 'negative'>();

  readonly #host: ReactiveControllerHost;
  readonly #options: ChatControllerOptions;
  #life = new AbortController();
  /** The last streamed request: aborting it stops the stream while it runs, and does nothing after. */
  #request: AbortController | undefined;
  /**
   * A client tool's output the server has not received yet. The thread stays locked until it has: a
   * message sent before it would leave the tool call unanswered and the output lost.
   */
  #undelivered: { threadId: string; result: unknown } | undefined;

  constructor(host: ReactiveControllerHost, options: ChatControllerOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /**
   * Nothing may be sent: a request streams, a client tool runs, or its output still has to reach the
   * server.
   */
  get locked(): boolean {
    return this.busy || (this.#undelivered !== undefined && this.#undelivered.threadId === this.threadId);
  }

  /** The id of the thread shown; undefined before the first message of a new conversation. */
  get threadId(): string | undefined {
    return this.model.thread?.id;
  }

  hostConnected(): void {
    if (this.#life.signal.aborted) this.#life = new AbortController();
  }

  hostDisconnected(): void {
    this.stop();
    this.#life.abort();
  }

  /**
   * Sends a user message (starting a thread when there is none). Returns false, sending nothing, while
   * another request streams or before the session is ready.
   */
  send(text: string, attachments: Attachment[] = [], options: SendOptions = {}): boolean {
    if (this.locked || !this.#options.client()) return false;
    const tags = (options.tags ?? []).map((tag) => ({
      type: 'input_tag' as const,
      id: tag.id,
      text: tag.text,
      data: tag.data ?? {},
      group: tag.group ?? null,
      interactive: tag.interactive ?? false,
    }));
    const input = {
      content: [...tags, { type: 'input_text' as const, text }],
      attachments: attachments.map((attachment) => attachment.id),
      inference_options: {
        ...(options.toolChoice ? { tool_choice: { id: options.toolChoice } } : {}),
        ...(options.model ? { model: options.model } : {}),
      },
    };
    this.#log('message.send', {
      threadId: this.threadId ?? null,
      attachments: attachments.length,
      tags: tags.length,
      ...input.inference_options,
    });
    const threadId = this.threadId;
    // Shown at once, with the attachments themselves; replaced by the server's copy when it arrives.
    this.model.items.push({
      ...input,
      id: LOCAL_USER_ID,
      thread_id: threadId ?? '',
      created_at: new Date().toISOString(),
      type: 'user_message',
      attachments,
    });
    return this.#run(
      (client, options) =>
        threadId
          ? client.threads.addUserMessage({ thread_id: threadId, input }, options)
          : client.threads.create({ input }, options),
      () => {
        this.#dropLocal();
        this.send(text, attachments, options);
      },
    );
  }

  /**
   * Answers a user message again (`threads.retry_after_item`): everything after it is dropped. Without
   * an id, the newest user message.
   */
  retry(itemId = this.model.lastUserMessage()?.id): boolean {
    const threadId = this.threadId;
    if (this.locked || !threadId || !itemId || itemId === LOCAL_USER_ID) return false;
    this.model.truncateAfter(itemId);
    return this.#run(
      (client, options) => client.threads.retryAfterItem({ thread_id: threadId, item_id: itemId }, options),
      () => this.retry(itemId),
    );
  }

  /** Answers a pending structured input form. */
  answer(
    itemId: string,
    answers: Record<string, { values: string[]; skipped?: boolean }>,
    skipped = false,
  ): boolean {
    const threadId = this.threadId;
    if (!threadId) return false;
    const input = { status: skipped ? ('skipped' as const) : ('answered' as const), answers };
    return this.#run((client, options) =>
      client.threads.addStructuredInput({ thread_id: threadId, item_id: itemId, input }, options),
    );
  }

  /**
   * Runs a widget button's action: on the server (`threads.custom_action`), or, for
   * `handler: "client"`, by dispatching `cartrita-action` for the page.
   */
  action(itemId: string, action: Action): boolean {
    if (action.handler === 'client') {
      this.#dispatch(new CartritaActionEvent({ action, itemId }));
      return true;
    }
    return this.customAction(action, itemId);
  }

  /**
   * Sends an action to the server: streamed (`threads.custom_action`), or, for `streaming: false`,
   * answered at once with the changed widget (`threads.sync_custom_action`). Refused while the
   * thread is locked or before it exists.
   */
  customAction(action: Action, itemId?: string | null): boolean {
    const threadId = this.threadId;
    const client = this.#options.client();
    if (!threadId || !client || this.locked) return false;
    this.#log('action.send', { threadId, type: action.type, streaming: action.streaming !== false });
    const params = { thread_id: threadId, item_id: itemId ?? null, action };
    if (action.streaming !== false)
      return this.#run((client, options) => client.threads.customAction(params, options));
    this.busy = true;
    this.#host.requestUpdate();
    void client.threads
      .syncCustomAction(params, { signal: this.#life.signal })
      .then(
        ({ updated_item: item }) => {
          if (item) this.model.apply({ type: 'thread.item.replaced', item });
        },
        (error) => this.#fail(error),
      )
      .finally(() => {
        this.busy = false;
        this.#host.requestUpdate();
      });
    return true;
  }

  /**
   * Loads the thread shown again from the server, for changes made elsewhere (another tab, the
   * server). Does nothing while the thread is locked or before it exists.
   */
  async fetchUpdates(): Promise<void> {
    const threadId = this.threadId;
    if (threadId && !this.locked) await this.open(threadId);
  }

  /** Records thumbs up or down on an item. */
  async rate(itemId: string, kind: 'positive' | 'negative'): Promise<void> {
    const client = this.#options.client();
    const threadId = this.threadId;
    if (!client || !threadId) return;
    const previous = this.feedback.get(itemId);
    this.feedback.set(itemId, kind);
    this.#host.requestUpdate();
    try {
      await client.items.feedback(
        { thread_id: threadId, item_ids: [itemId], kind },
        { signal: this.#life.signal },
      );
    } catch (error) {
      if (previous) this.feedback.set(itemId, previous);
      else this.feedback.delete(itemId);
      this.#fail(error);
    }
  }

  /** Stops the answer being streamed. The partial answer stays, marked as stopped. */
  stop(): void {
    this.#request?.abort();
  }

  /**
   * Shows a thread (loading all its items), or a new empty conversation for `null`. Fires
   * `cartrita-thread-change` when the thread changes.
   */
  async open(threadId: string | null, signal?: AbortSignal): Promise<void> {
    this.stop();
    const changed = (this.threadId ?? null) !== threadId;
    this.error = undefined;
    this.notices = [];
    this.progress = undefined;
    this.feedback.clear();
    if (threadId === null) {
      this.model.reset();
      if (changed) this.#dispatch(new CartritaThreadChangeEvent({ threadId }));
      this.#host.requestUpdate();
      return;
    }
    const client = this.#options.client();
    if (!client) return;
    this.loading = true;
    this.#dispatch(new CartritaThreadLoadStartEvent({ threadId }));
    this.#host.requestUpdate();
    let failed = false;
    const options = { signal: signal ? AbortSignal.any([signal, this.#life.signal]) : this.#life.signal };
    try {
      const thread = await client.threads.retrieve({ thread_id: threadId }, options);
      const items: ThreadItem[] = [...thread.items.data];
      let page = thread.items;
      for (let n = 0; page.has_more && page.after && n < MAX_ITEM_PAGES; n++) {
        page = await client.items.list(
          { thread_id: threadId, order: 'asc', after: page.after, limit: 100 },
          options,
        );
        items.push(...page.data);
      }
      this.model.reset(thread, items);
      this.#log('thread.load', { threadId, items: items.length });
      if (changed) this.#dispatch(new CartritaThreadChangeEvent({ threadId }));
    } catch (error) {
      failed = true;
      this.#fail(error, () => void this.open(threadId));
    }
    this.loading = false;
    this.#dispatch(new CartritaThreadLoadEndEvent({ threadId, error: failed }));
    this.#host.requestUpdate();
  }

  /** Forgets a failure message. */
  dismissError(): void {
    this.error = undefined;
    this.#host.requestUpdate();
  }

  /** Removes a notice banner. */
  dismissNotice(notice: Notice): void {
    this.notices = this.notices.filter((n) => n !== notice);
    this.#host.requestUpdate();
  }

  /**
   * Runs one streamed request to its end, applying its events. `retry`, when given, is offered to the
   * user if the request fails.
   */
  #run(
    start: (client: ChatKit, options: { signal: AbortSignal }) => Promise<Stream<ChatKitStreamEvent>>,
    retry?: () => void,
    continuing = false,
  ): boolean {
    const client = this.#options.client();
    if ((this.busy && !continuing) || !client) return false;
    this.busy = true;
    this.error = undefined;
    // Stopped by `stop()`, which the host's disconnection calls too.
    const request = new AbortController();
    this.#request = request;
    const { signal } = request;
    this.#dispatch(new CartritaResponseStartEvent({ threadId: this.threadId }));
    this.#host.requestUpdate();
    void (async () => {
      let failed = false;
      let reached = false;
      try {
        const stream = await start(client, { signal });
        let slice = performance.now();
        for await (const event of stream) {
          reached = true;
          if (event.type !== 'unknown') this.#handle(event);
          if (event.type === 'error') failed = true;
          this.#host.requestUpdate();
          // Events that arrive in a burst are handled in slices, so the page keeps answering input.
          if (performance.now() - slice > SLICE_MS) {
            await new Promise((resolve) => setTimeout(resolve, 0));
            slice = performance.now();
          }
        }
      } catch (error) {
        // A stop (or the host going away) aborts the request: that is no failure.
        if (!signal.aborted) {
          failed = true;
          // Once the server has the turn, sending it again would duplicate it: answer it again instead.
          const sent = this.model.lastUserMessage();
          this.#fail(error, reached && sent && sent.id !== LOCAL_USER_ID ? () => this.retry() : retry);
        }
      } finally {
        const stopped = signal.aborted;
        // What was still streaming was cut short: by the user, or by the failure.
        if (stopped || failed) this.model.endPending(stopped ? 'stopped' : 'incomplete');
        else this.model.pending.clear();
        // A send that never reached the server leaves its message only when it can be retried.
        if (stopped || !failed) this.#dropLocal();
        const last = this.model.items.at(-1);
        const tool =
          !stopped && !failed && last?.type === 'client_tool_call' && last.status === 'pending'
            ? last
            : undefined;
        // A pending client tool keeps the thread locked: its output is the next thing sent.
        this.busy = tool !== undefined;
        this.allowCancel = false;
        this.progress = undefined;
        this.#dispatch(new CartritaResponseEndEvent({ threadId: this.threadId, stopped, error: failed }));
        this.#host.requestUpdate();
        if (tool) void this.#runClientTool(tool);
      }
    })();
    return true;
  }

  #handle(event: ThreadStreamEvent): void {
    switch (event.type) {
      case 'stream_options':
        this.allowCancel = event.stream_options.allow_cancel;
        return;
      case 'progress_update':
        this.progress = event.text;
        return;
      case 'notice': {
        const { type: _type, ...notice } = event;
        this.notices = [...this.notices, notice];
        return;
      }
      case 'client_effect':
        this.#dispatch(new CartritaEffectEvent({ name: event.name, data: event.data }));
        return;
      case 'error':
        this.#log('stream.error', { threadId: this.threadId ?? null, code: event.code });
        this.#show(
          event,
          event.code === 'stream.error' ? undefined : event.message,
          event.allow_retry ? () => this.retry() : undefined,
        );
        return;
    }
    if (event.type === 'thread.item.done' && event.item.type === 'user_message') this.#dropLocal();
    if (event.type.startsWith('thread.item.')) this.progress = undefined;
    const created = event.type === 'thread.created' && this.threadId !== event.thread.id;
    this.model.apply(event);
    if (created) this.#dispatch(new CartritaThreadChangeEvent({ threadId: event.thread.id }));
  }

  /**
   * Runs a pending client tool with the page's hook and delivers its output. The thread stays locked
   * from the call until the server has the output; a hook that throws (or is missing) is reported to
   * the server as the tool's error, `{error}`, so the assistant learns why.
   */
  async #runClientTool(item: ClientToolCallItem): Promise<void> {
    const threadId = this.threadId;
    if (!threadId) {
      this.busy = false;
      return;
    }
    const params = item.arguments;
    this.#dispatch(new CartritaToolCallEvent({ name: item.name, params, callId: item.call_id }));
    const hook = this.#options.onClientTool?.();
    let result: unknown;
    try {
      result = hook
        ? await hook({ name: item.name, params })
        : { error: `This page does not implement the client tool "${item.name}".` };
    } catch (error) {
      result = { error: error instanceof Error ? error.message : String(error) };
    }
    result ??= {};
    this.#undelivered = { threadId, result };
    this.#log('tool.output', { threadId, name: item.name, error: hook === undefined || isFailure(result) });
    // The server records the output without an event; mirror it.
    const index = this.model.items.indexOf(item);
    if (index !== -1) this.model.items[index] = { ...item, status: 'completed', output: result };
    this.#deliver(threadId, result, true);
  }

  /** Sends a client tool's output; a failure offers to send it again, and keeps the thread locked. */
  #deliver(threadId: string, result: unknown, continuing = false): void {
    const sent = this.#run(
      async (client, options) => {
        const stream = await client.threads.addClientToolOutput({ thread_id: threadId, result }, options);
        // The server answered the request: it has the output.
        this.#undelivered = undefined;
        return stream;
      },
      () => this.#deliver(threadId, result),
      continuing,
    );
    if (!sent && continuing) {
      this.busy = false;
      this.#host.requestUpdate();
    }
  }

  /** Removes the local copy of a message being sent. */
  #dropLocal(): void {
    this.model.apply({ type: 'thread.item.removed', item_id: LOCAL_USER_ID });
  }

  /** Shows a failed request; the server's text is shown when it was written for users. */
  #fail(error: unknown, retry?: () => void): void {
    const forUsers = isAPIError(error) && error.status < 500 && error.status !== 401;
    this.#show(error, forUsers ? error.serverMessage : undefined, retry);
  }

  /** Shows a failure, with `retry` when it can be tried again, and reports it with `cartrita-error`. */
  #show(error: unknown, message: string | undefined, retry: (() => void) | undefined): void {
    this.error = { message, retry };
    this.#dispatch(new CartritaErrorEvent({ error, message: message ?? '' }));
    this.#host.requestUpdate();
  }

  #log(name: string, data: Record<string, unknown>): void {
    this.#dispatch(new CartritaLogEvent({ name, data }));
  }

  #dispatch(event: Event): void {
    this.#options.target.dispatchEvent(event);
  }
}
