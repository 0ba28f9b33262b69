import type {
  Attachment,
  ChatKitRequest,
  ChatKitRequestOf,
  ClientToolCallItem,
  JsonRequestType,
  Page,
  StructuredInputItem,
  Thread,
  ThreadItem,
  ThreadStreamEvent,
  UserMessageInput,
  UserMessageItem,
} from '@cartrita/contracts';
import { hiddenItemTypes, isStreamingRequestType } from '@cartrita/contracts';
import { HttpError } from '../../http-error.js';
import type { ChatProvider, ProviderRequest } from '../../providers/types.js';
import type { StoredAttachment } from '../../storage/attachment-store.js';
import type { BlobStore } from '../../storage/blob-store.js';
import type { StoredItem } from '../../storage/item-store.js';
import type { Store } from '../../storage/store.js';
import type { StoredThread } from '../../storage/thread-store.js';
import { toChatMessages } from '../history.js';
import { newId, now } from '../ids.js';
import type { AttachmentUrlSigner } from './attachment-urls.js';
import { persistEvents } from './persist.js';
import { respond, setComponentValue, type TurnStats } from './respond.js';

/** Who is calling and how to reach them. */
export interface ChatKitContext {
  userId: string;
  /** The server's public origin, for upload and preview URLs. */
  baseUrl: string;
  /** Aborted when the client disconnects. */
  signal: AbortSignal;
}

/** Upload limits. */
export interface AttachmentLimits {
  maxBytes: number;
  /** Allowed MIME types; `image/*` style wildcards allowed. */
  allowedTypes: readonly string[];
}

/** What the processor needs. */
export interface ChatKitDeps {
  store: Store;
  blobs: BlobStore;
  urls: AttachmentUrlSigner;
  limits: AttachmentLimits;
  /** The provider for a turn (by the model the user picked), or throws `PROVIDER_NOT_CONFIGURED`. */
  provider(model?: string | null): ChatProvider;
  /** A provider by name, or throws `PROVIDER_NOT_CONFIGURED`. */
  providerByName(name: string): ChatProvider;
  /** Called after every assistant turn, for metrics and logs. */
  onTurn?(stats: TurnStats & { threadId: string }): void;
  /** Called with a failure that was turned into an `error` event, to log it once. */
  onStreamError?(error: unknown): void;
}

/** Options of one assistant turn. */
interface TurnOptions {
  provider?: ChatProvider;
  stats?: TurnStats;
  parameters?: ProviderRequest['parameters'];
  messageId?: string;
}

/** A user message for {@link ChatKitProcessor.startTurn}. */
export interface TurnInput {
  text: string;
  /** Continue this thread; a new one starts when absent. */
  threadId?: string;
  /** A provider by name; by default the one serving `model`. */
  provider?: string;
  model?: string;
  parameters?: ProviderRequest['parameters'];
}

/** A started turn: where it lives and its events, which run the provider as they are read. */
export interface StartedTurn {
  thread: StoredThread;
  /** Whether the turn started the thread. */
  created: boolean;
  userMessageId: string;
  /** The id the assistant's reply will have. */
  messageId: string;
  /** Filled in while the turn runs: provider, model, usage and any failure. */
  stats: TurnStats;
  events: AsyncIterable<ThreadStreamEvent>;
}

/** A processed request: JSON to send, or events to stream. */
export type ChatKitResult =
  | { kind: 'json'; body: unknown }
  | { kind: 'stream'; events: AsyncIterable<ThreadStreamEvent> };

const DEFAULT_PAGE = 20;
const TITLE_LENGTH = 60;

/** Whether `mimeType` matches one of the allowed types (`image/*` wildcards allowed). */
export const mimeAllowed = (mimeType: string, allowed: readonly string[]): boolean => {
  const type = mimeType.split(';')[0]!.trim().toLowerCase();
  return allowed.some((pattern) => {
    const p = pattern.toLowerCase();
    return p === '*/*' || p === type || (p.endsWith('/*') && type.startsWith(p.slice(0, -1)));
  });
};

const titleFrom = (input: UserMessageInput): string | undefined => {
  const text = input.content
    .map((part) => part.text)
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!text) return undefined;
  if (text.length <= TITLE_LENGTH) return text;
  const cut = text.slice(0, TITLE_LENGTH);
  const space = cut.lastIndexOf(' ');
  return `${(space > 20 ? cut.slice(0, space) : cut).trimEnd()}…`;
};

/**
 * The ChatKit protocol: one method per request type, by the rules of the official server
 * (event order, persistence, hidden items), with Cartrita's storage, auth and providers behind it.
 */
export class ChatKitProcessor {
  constructor(private readonly deps: ChatKitDeps) {}

  /** The storage behind the processor. */
  get store(): Store {
    return this.deps.store;
  }

  /** The signer of attachment URLs. */
  get urls(): AttachmentUrlSigner {
    return this.deps.urls;
  }

  /** Handles one request. Errors found before a stream starts are thrown as `HttpError`s. */
  async process(request: ChatKitRequest, ctx: ChatKitContext): Promise<ChatKitResult> {
    if (isStreamingRequestType(request.type)) {
      return { kind: 'stream', events: await this.#prepareStream(request, ctx) };
    }
    return {
      kind: 'json',
      body: await this.#json(request as Extract<ChatKitRequest, { type: JsonRequestType }>, ctx),
    };
  }

  // Serialization ------------------------------------------------------------------------------

  #thread(record: StoredThread, items: Page<ThreadItem> = { data: [], has_more: false }): Thread {
    return {
      id: record.id,
      ...(record.title ? { title: record.title } : {}),
      created_at: record.created_at,
      status: record.status,
      metadata: {},
      items,
    };
  }

  #attachment(record: StoredAttachment, ctx: ChatKitContext, withUpload: boolean): Attachment {
    const base = {
      id: record.id,
      name: record.name,
      mime_type: record.mime_type,
      ...(record.thread_id ? { thread_id: record.thread_id } : {}),
      ...(withUpload
        ? {
            upload_descriptor: {
              url: this.deps.urls.url(ctx.baseUrl, record, 'upload'),
              method: 'POST' as const,
              headers: {},
            },
          }
        : {}),
    };
    return record.kind === 'image'
      ? { type: 'image', ...base, preview_url: this.deps.urls.url(ctx.baseUrl, record, 'preview') }
      : { type: 'file', ...base };
  }

  async #requireThread(threadId: string, ctx: ChatKitContext): Promise<StoredThread> {
    const thread = await this.deps.store.threads.get(threadId, ctx.userId);
    if (!thread) throw HttpError.notFound('thread', threadId);
    return thread;
  }

  async #requireItem(threadId: string, itemId: string): Promise<StoredItem> {
    const item = await this.deps.store.items.get(threadId, itemId);
    if (!item || hiddenItemTypes.includes(item.type)) throw HttpError.notFound('item', itemId);
    return item;
  }

  async #visibleItems(
    threadId: string,
    options: { limit?: number | null; order: 'asc' | 'desc'; after?: string | null },
  ) {
    const page = await this.deps.store.items.list(threadId, {
      limit: options.limit ?? DEFAULT_PAGE,
      order: options.order,
      ...(options.after ? { after: options.after } : {}),
      includeHidden: false,
    });
    return page as Page<ThreadItem>;
  }

  // JSON requests ------------------------------------------------------------------------------

  async #json(
    request: Extract<ChatKitRequest, { type: JsonRequestType }>,
    ctx: ChatKitContext,
  ): Promise<unknown> {
    const { store } = this.deps;
    switch (request.type) {
      case 'threads.get_by_id': {
        const thread = await this.#requireThread(request.params.thread_id, ctx);
        return this.#thread(thread, await this.#visibleItems(thread.id, { order: 'asc' }));
      }
      case 'threads.list': {
        const { limit, order, after } = request.params;
        const page = await store.threads.list(ctx.userId, {
          limit: limit ?? DEFAULT_PAGE,
          order,
          ...(after ? { after } : {}),
        });
        return { ...page, data: page.data.map((thread) => this.#thread(thread)) };
      }
      case 'items.list': {
        const thread = await this.#requireThread(request.params.thread_id, ctx);
        return this.#visibleItems(thread.id, request.params);
      }
      case 'threads.update': {
        const thread = await this.#requireThread(request.params.thread_id, ctx);
        const title = request.params.title.trim();
        const updated = await store.threads.update(thread.id, ctx.userId, { title });
        if (!updated) throw HttpError.notFound('thread', thread.id);
        return this.#thread(updated);
      }
      case 'threads.delete': {
        const thread = await this.#requireThread(request.params.thread_id, ctx);
        const deleted = await store.threads.delete(thread.id, ctx.userId);
        await Promise.all((deleted?.blobKeys ?? []).map((key) => this.deps.blobs.delete(key)));
        return {};
      }
      case 'items.feedback': {
        const thread = await this.#requireThread(request.params.thread_id, ctx);
        for (const id of request.params.item_ids) await this.#requireItem(thread.id, id);
        await store.feedback.record(thread.id, request.params.item_ids, request.params.kind, ctx.userId);
        return {};
      }
      case 'attachments.create':
        return this.#createAttachment(request.params, ctx);
      case 'attachments.delete': {
        const attachment = await store.attachments.delete(request.params.attachment_id, ctx.userId);
        if (!attachment) throw HttpError.notFound('attachment', request.params.attachment_id);
        if (attachment.blob_key) await this.deps.blobs.delete(attachment.blob_key);
        return {};
      }
      case 'input.transcribe':
        throw new HttpError(
          'PROVIDER_NOT_CONFIGURED',
          'Voice transcription is not available: no voice provider is configured on this server.',
          { details: { request_type: 'input.transcribe' } },
        );
      case 'threads.sync_custom_action': {
        const thread = await this.#requireThread(request.params.thread_id, ctx);
        if (!request.params.item_id) return {};
        const item = await this.#requireItem(thread.id, request.params.item_id);
        if (item.type !== 'widget') {
          throw new HttpError('BAD_REQUEST', `Item ${item.id} is not a widget, so it has no actions.`);
        }
        const updated = this.#applyWidgetAction(item, request.params.action);
        if (!updated) return {};
        await store.items.save(thread.id, updated);
        return { updated_item: updated };
      }
    }
  }

  async #createAttachment(
    params: ChatKitRequestOf<'attachments.create'>['params'],
    ctx: ChatKitContext,
  ): Promise<Attachment> {
    this.checkUpload(params.mime_type, params.size);
    const record = await this.deps.store.attachments.create({
      user_id: ctx.userId,
      name: params.name,
      mime_type: params.mime_type,
      size: params.size,
    });
    return this.#attachment(record, ctx, true);
  }

  /** Throws 413 or 415 when an upload breaks the limits. */
  checkUpload(mimeType: string, size: number | undefined): void {
    const { maxBytes, allowedTypes } = this.deps.limits;
    if (!mimeAllowed(mimeType, allowedTypes)) {
      throw new HttpError('UNSUPPORTED_MEDIA_TYPE', `Files of type ${mimeType} are not accepted.`, {
        details: { mime_type: mimeType, allowed: allowedTypes },
      });
    }
    if (size !== undefined && size > maxBytes) {
      throw new HttpError('PAYLOAD_TOO_LARGE', `The file is ${size} bytes; the limit is ${maxBytes} bytes.`, {
        details: { size, max_bytes: maxBytes },
      });
    }
  }

  /** Stores an uploaded attachment's bytes and returns it without its upload descriptor. */
  async completeUpload(
    record: StoredAttachment,
    blobKey: string,
    size: number,
    ctx: ChatKitContext,
  ): Promise<Attachment> {
    const uploaded = await this.deps.store.attachments.markUploaded(record.id, blobKey, size);
    if (!uploaded) throw HttpError.notFound('attachment', record.id);
    return this.#attachment(uploaded, ctx, false);
  }

  /** Creates an attachment whose bytes arrived in the same request (direct upload). */
  async createUploaded(
    file: { name: string; mimeType: string; size: number; blobKey: string },
    ctx: ChatKitContext,
  ): Promise<Attachment> {
    const { store } = this.deps;
    const record = await store.attachments.create({
      user_id: ctx.userId,
      name: file.name,
      mime_type: file.mimeType,
      size: file.size,
    });
    const uploaded = await store.attachments.markUploaded(record.id, file.blobKey, file.size);
    return this.#attachment(uploaded ?? record, ctx, false);
  }

  #applyWidgetAction(item: StoredItem, action: { type: string; payload?: unknown }): StoredItem | undefined {
    if (action.type !== 'demo.pick') return undefined;
    const colour = String((action.payload as { colour?: unknown } | undefined)?.colour ?? 'nothing');
    return { ...item, widget: setComponentValue(item.widget, 'demo-text', `You picked ${colour}.`) };
  }

  // Streaming requests -------------------------------------------------------------------------

  async #userMessage(
    threadId: string,
    input: UserMessageInput,
    ctx: ChatKitContext,
  ): Promise<UserMessageItem> {
    const attachments: Attachment[] = [];
    for (const id of input.attachments) {
      const record = await this.deps.store.attachments.get(id, ctx.userId);
      if (!record) throw HttpError.notFound('attachment', id);
      if (record.status !== 'uploaded') {
        throw new HttpError('CONFLICT', `Attachment ${id} has no bytes yet: upload it before sending.`, {
          details: { attachment_id: id },
        });
      }
      attachments.push(this.#attachment({ ...record, thread_id: threadId }, ctx, false));
    }
    return {
      id: newId('message'),
      thread_id: threadId,
      created_at: now(),
      type: 'user_message',
      content: input.content,
      attachments,
      ...(input.quoted_text ? { quoted_text: input.quoted_text } : {}),
      inference_options: Object.fromEntries(
        Object.entries(input.inference_options).filter(([, v]) => v !== null && v !== undefined),
      ),
    };
  }

  async #history(threadId: string) {
    const items: StoredItem[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.deps.store.items.list(threadId, {
        limit: 100,
        order: 'asc',
        includeHidden: true,
        ...(after ? { after } : {}),
      });
      items.push(...page.data);
      if (!page.has_more || !page.after) return items;
      after = page.after;
    }
  }

  /** The assistant's turn over the thread's whole history. */
  async *#turn(
    thread: StoredThread,
    ctx: ChatKitContext,
    model?: string | null,
    options: TurnOptions = {},
  ): AsyncGenerator<ThreadStreamEvent> {
    const provider = options.provider ?? this.deps.provider(model);
    const stats = options.stats ?? { provider: provider.name, model: model ?? provider.defaultModel };
    const messages = toChatMessages(await this.#history(thread.id));
    yield* respond(
      provider,
      {
        threadId: thread.id,
        messages,
        signal: ctx.signal,
        ...(model ? { model } : {}),
        ...(options.parameters ? { parameters: options.parameters } : {}),
        ...(options.messageId ? { messageId: options.messageId } : {}),
      },
      stats,
    );
    this.deps.onTurn?.({ ...stats, threadId: thread.id });
  }

  /**
   * One chat turn for the doors other than ChatKit (`/api/chat`, `/chat/`, `/ws/chat`): the user's text
   * goes into a new thread, or into `threadId`, and the reply streams as ChatKit events, persisted by
   * the same rules. Errors found before the turn starts (unknown thread, unconfigured provider) throw.
   */
  async startTurn(input: TurnInput, ctx: ChatKitContext): Promise<StartedTurn> {
    const { store } = this.deps;
    const provider = input.provider
      ? this.deps.providerByName(input.provider)
      : this.deps.provider(input.model);
    const model = input.model ?? provider.defaultModel;
    const stats: TurnStats = { provider: provider.name, model };
    const content: UserMessageInput = {
      content: [{ type: 'input_text', text: input.text }],
      attachments: [],
      inference_options: input.model ? { model: input.model } : {},
    };
    const existing = input.threadId ? await this.#requireOpenThread(input.threadId, ctx) : undefined;
    const threadId = existing?.id ?? newId('thread');
    const message = await this.#userMessage(threadId, content, ctx);
    const thread = existing ?? (await store.threads.create({ id: threadId, user_id: ctx.userId }));
    const messageId = newId('message');
    const self = this;
    const events = this.#persisted(thread, ctx, async function* () {
      if (!existing) yield { type: 'thread.created', thread: self.#thread(thread) };
      yield { type: 'thread.item.done', item: message };
      yield* self.#turn(thread, ctx, model, {
        provider,
        stats,
        messageId,
        ...(input.parameters ? { parameters: input.parameters } : {}),
      });
    });
    return { thread, created: !existing, userMessageId: message.id, messageId, stats, events };
  }

  async #prepareStream(
    request: ChatKitRequest,
    ctx: ChatKitContext,
  ): Promise<AsyncIterable<ThreadStreamEvent>> {
    const { store } = this.deps;
    const streamOptions: ThreadStreamEvent = {
      type: 'stream_options',
      stream_options: { allow_cancel: true },
    };

    switch (request.type) {
      case 'threads.create': {
        const input = request.params.input;
        const provider = this.deps.provider(input.inference_options.model);
        const threadId = newId('thread');
        const message = await this.#userMessage(threadId, input, ctx);
        const thread = await store.threads.create({ id: threadId, user_id: ctx.userId });
        await store.attachments.attachToThread(input.attachments, thread.id, ctx.userId);
        const self = this;
        return this.#persisted(thread, ctx, async function* () {
          yield { type: 'thread.created', thread: self.#thread(thread) };
          yield { type: 'thread.item.done', item: message };
          yield streamOptions;
          yield* self.#turn(thread, ctx, input.inference_options.model ?? provider.defaultModel);
        });
      }
      case 'threads.add_user_message': {
        const thread = await this.#requireOpenThread(request.params.thread_id, ctx);
        const input = request.params.input;
        this.deps.provider(input.inference_options.model);
        const message = await this.#userMessage(thread.id, input, ctx);
        await store.attachments.attachToThread(input.attachments, thread.id, ctx.userId);
        const self = this;
        return this.#persisted(thread, ctx, async function* () {
          yield { type: 'thread.item.done', item: message };
          yield streamOptions;
          yield* self.#turn(thread, ctx, input.inference_options.model);
        });
      }
      case 'threads.add_client_tool_output': {
        const thread = await this.#requireOpenThread(request.params.thread_id, ctx);
        const latest = await store.items.list(thread.id, { limit: 1, order: 'desc' });
        const call = latest.data[0];
        if (call?.type !== 'client_tool_call' || call.status !== 'pending') {
          throw new HttpError('CONFLICT', `Thread ${thread.id} has no pending client tool call to answer.`);
        }
        const completed = {
          ...(call as ClientToolCallItem),
          status: 'completed' as const,
          output: request.params.result,
        };
        await store.items.save(thread.id, completed as StoredItem);
        const self = this;
        return this.#persisted(thread, ctx, async function* () {
          yield streamOptions;
          yield* self.#turn(thread, ctx);
        });
      }
      case 'threads.add_structured_input': {
        const thread = await this.#requireOpenThread(request.params.thread_id, ctx);
        const item = await this.#requireItem(thread.id, request.params.item_id);
        if (item.type !== 'structured_input' || item.status !== 'pending') {
          throw new HttpError('CONFLICT', `Item ${item.id} is not a pending structured input.`);
        }
        const { status, answers } = request.params.input;
        const answered: StructuredInputItem = {
          ...(item as StructuredInputItem),
          status,
          inputs: (item as StructuredInputItem).inputs.map((question) => {
            const answer = status === 'skipped' ? { values: [], skipped: true } : answers[question.id];
            return answer ? { ...question, answer } : question;
          }),
        };
        const self = this;
        return this.#persisted(thread, ctx, async function* () {
          yield streamOptions;
          yield { type: 'thread.item.replaced', item: answered };
          yield* self.#turn(thread, ctx);
        });
      }
      case 'threads.retry_after_item': {
        const thread = await this.#requireOpenThread(request.params.thread_id, ctx);
        const item = await this.#requireItem(thread.id, request.params.item_id);
        if (item.type !== 'user_message') {
          throw new HttpError(
            'BAD_REQUEST',
            `Item ${item.id} is not a user message; only user messages can be retried.`,
          );
        }
        await store.items.deleteAfter(thread.id, item.id);
        const model = (item as UserMessageItem).inference_options.model;
        const self = this;
        return this.#persisted(thread, ctx, async function* () {
          yield streamOptions;
          yield* self.#turn(thread, ctx, model);
        });
      }
      case 'threads.custom_action': {
        const thread = await this.#requireOpenThread(request.params.thread_id, ctx);
        const itemId = request.params.item_id;
        const item = itemId ? await this.#requireItem(thread.id, itemId) : undefined;
        const { action } = request.params;
        const self = this;
        return this.#persisted(thread, ctx, async function* () {
          yield streamOptions;
          if (item && item.type !== 'widget') {
            yield { type: 'error', code: 'stream.error', allow_retry: false };
            return;
          }
          const updated = item ? self.#applyWidgetAction(item, action) : undefined;
          if (updated) yield { type: 'thread.item.replaced', item: updated as ThreadItem };
          yield* self.#turn(thread, ctx);
        });
      }
      default:
        throw new HttpError('BAD_REQUEST', `Request type ${request.type} does not stream.`);
    }
  }

  async #requireOpenThread(threadId: string, ctx: ChatKitContext): Promise<StoredThread> {
    const thread = await this.#requireThread(threadId, ctx);
    if (thread.status.type !== 'active') {
      throw new HttpError(
        'CONFLICT',
        `Thread ${thread.id} is ${thread.status.type} and takes no new messages.`,
      );
    }
    return thread;
  }

  /**
   * Wraps a turn's events with persistence, error events for failures inside the stream, and the
   * closing `thread.updated` when the turn gave the thread its first title.
   */
  #persisted(
    thread: StoredThread,
    ctx: ChatKitContext,
    events: () => AsyncGenerator<ThreadStreamEvent>,
  ): AsyncIterable<ThreadStreamEvent> {
    const { store } = this.deps;
    const self = this;
    return (async function* () {
      let firstInput: UserMessageInput | undefined;
      try {
        for await (const event of persistEvents(store, thread.id, events(), ctx.signal)) {
          if (
            !firstInput &&
            !thread.title &&
            event.type === 'thread.item.done' &&
            event.item.type === 'user_message'
          ) {
            firstInput = { content: event.item.content, attachments: [], inference_options: {} };
          }
          yield event;
        }
      } catch (error) {
        if (error instanceof HttpError) {
          yield { type: 'error', code: 'custom', message: error.message, allow_retry: false };
        } else {
          yield { type: 'error', code: 'stream.error', allow_retry: true };
        }
        self.deps.onStreamError?.(error);
        return;
      }
      if (ctx.signal.aborted) return;
      const title = firstInput ? titleFrom(firstInput) : undefined;
      if (title) {
        const updated = await store.threads.update(thread.id, ctx.userId, { title });
        if (updated) yield { type: 'thread.updated', thread: self.#thread(updated) };
      }
    })();
  }
}
