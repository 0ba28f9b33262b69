import {
  Attachment,
  type ChatKitSession,
  ChatStreamFrame,
  defaultUploadTypes,
  HiddenContextItem,
  hiddenItemTypes,
  idPrefixes,
  type Page,
  type Thread,
  ThreadItem,
  type ThreadStatus,
  type UserMessageInput,
  type UserMessageItem,
} from '@cartrita/contracts';
import { MockContractError, MockHttpError } from './errors.js';
import { newId, now, randomHex } from './ids.js';
import {
  defaultResponder,
  type Reply,
  type ReplyScript,
  type Responder,
  type ResponderContext,
} from './responder.js';
import { assertWire } from './wire.js';

/** Options of {@link createStore}. */
export interface StoreOptions {
  /** Origin (and optional path prefix) that upload and preview URLs point at. Default `http://localhost:8000`. */
  baseURL?: string;
  /** The assistant used when no scripted reply is queued. Default {@link defaultResponder}. */
  responder?: Responder;
  /** Milliseconds between streamed text deltas. Default 0. */
  paceMs?: number;
  /** Lifetime of a client secret. Default 3600. */
  sessionTtlSeconds?: number;
  /** API keys the fake accepts (they may name the `user` of a new session). Default none. */
  apiKeys?: readonly string[];
  /** Largest attachment accepted. Default 20 MiB, as the reference server. */
  maxUploadBytes?: number;
  /** MIME types accepted for attachments (`image/*` wildcards allowed). Default: the server's `defaultUploadTypes`. */
  acceptedMimeTypes?: readonly string[];
  /** `version` of the health routes. Default `0.0.0-mock`. */
  version?: string;
  /**
   * The text `input.transcribe` answers. Default: none, and `input.transcribe` answers 503
   * `PROVIDER_NOT_CONFIGURED` as the reference server does without a voice provider.
   */
  transcribe?: (audio: { audio_base64: string; mime_type: string }) => string;
  /** The provider the chat doors (`/api/chat*`, `/chat/*`) name; asking for another one is a 503. Default `mock`. */
  chatProvider?: string;
  /** The model the chat doors name when a request names none. Default `mock-1`. */
  chatModel?: string;
  /** A `: keep-alive` comment is sent on a chat stream after this many silent milliseconds. Default 15 000. */
  heartbeatMs?: number;
}

/** A session and the client secret that authorises it. */
export interface SessionRecord {
  readonly id: string;
  readonly userId: string;
  readonly clientSecret: string;
  /** ISO time after which the secret is refused. */
  readonly expiresAt: string;
}

/** An item as stored: visible items and the hidden ones a client never receives. */
export type StoredItem = ThreadItem | HiddenContextItem;

/** A thread as stored. */
export interface ThreadRecord {
  readonly id: string;
  readonly userId: string;
  title?: string;
  readonly created_at: string;
  status: ThreadStatus;
  /** Every item, oldest first, hidden ones included. */
  items: StoredItem[];
}

/** An attachment as stored: its wire shape (without the upload descriptor) plus its bytes. */
export interface AttachmentRecord {
  attachment: Attachment;
  readonly userId: string;
  readonly size: number;
  bytes?: Uint8Array;
  /** The signature its upload and preview URLs carry. */
  readonly signature: string;
  /** Unix seconds after which the signed URLs stop working. */
  readonly expires: number;
}

/** A thumbs up or down recorded by `items.feedback`. */
export interface FeedbackRecord {
  readonly userId: string;
  readonly threadId: string;
  readonly itemIds: readonly string[];
  readonly kind: 'positive' | 'negative';
  readonly created_at: string;
}

/** Where a reply of the chat doors stands. */
export type ChatResponseStatus = 'running' | 'complete' | 'cancelled' | 'failed' | 'incomplete';

/**
 * A reply of the chat doors (`/api/chat*`, `/chat/*`), as the fake keeps it. Like the server's, it runs
 * on when its connection goes away, and its frames are the log that `Last-Event-ID` resumes from.
 */
export interface ChatResponseRecord {
  /** `resp_` and 16 hex characters. */
  readonly id: string;
  readonly userId: string;
  /** The conversation: a ChatKit thread. */
  readonly threadId: string;
  /** The assistant message the reply becomes. */
  readonly messageId: string;
  /** Every frame so far, oldest first; frame `n` (from 1) goes out as `id: <id>:<n>`. */
  readonly frames: ChatStreamFrame[];
  /** `running` until the reply ends. */
  status: ChatResponseStatus;
  /** Aborted to stop the reply: a cancel, an interruption, `reset()`. */
  readonly controller: AbortController;
}

/** The paging arguments of `threads.list` and `items.list`. */
export interface PageQuery {
  limit?: number | null;
  order?: 'asc' | 'desc';
  after?: string | null;
}

/** An item to seed with {@link CartritaStore.addItem}: id, thread and time are filled in when left out. */
export type StoredItemInput = StoredItem extends infer I
  ? I extends StoredItem
    ? Omit<I, 'id' | 'thread_id' | 'created_at'> & { id?: string; created_at?: string }
    : never
  : never;

const DEFAULT_LIMIT = 20;
const SIGNED_URL_SECONDS = 3600;

const isHidden = (item: StoredItem): item is HiddenContextItem => hiddenItemTypes.includes(item.type);

const matchesMime = (accepted: readonly string[], mime: string): boolean =>
  accepted.some(
    (pattern) =>
      pattern === '*/*' ||
      pattern === mime ||
      (pattern.endsWith('/*') && mime.startsWith(pattern.slice(0, -1))),
  );

/**
 * ChatKit's cursor paging: rows in `order`, starting after the row whose id is `after`, `limit` rows
 * (default 20); `after` of the page is the id of its last row.
 */
export const paginate = <T extends { id: string }>(
  rows: readonly T[],
  query: PageQuery,
  unknownAfter: (id: string) => MockHttpError,
): Page<T> => {
  const ordered = query.order === 'asc' ? [...rows] : [...rows].reverse();
  let start = 0;
  if (query.after) {
    const index = ordered.findIndex((row) => row.id === query.after);
    if (index < 0) throw unknownAfter(query.after);
    start = index + 1;
  }
  const limit = query.limit ?? DEFAULT_LIMIT;
  const data = ordered.slice(start, start + limit);
  const last = data.at(-1);
  return { data, has_more: start + limit < ordered.length, ...(last ? { after: last.id } : {}) };
};

const threadNotFound = (id: string) => new MockHttpError('THREAD_NOT_FOUND', `Thread ${id} does not exist`);
const itemNotFound = (id: string) => new MockHttpError('ITEM_NOT_FOUND', `Item ${id} does not exist`);
const attachmentNotFound = (id: string) =>
  new MockHttpError('ATTACHMENT_NOT_FOUND', `Attachment ${id} does not exist`);

/**
 * A stateful in-memory fake of the reference server: sessions and client secrets, each user's threads
 * and items, attachments and feedback, and the scripted assistant. The handlers call it; a test can
 * also seed it and look inside.
 */
export class CartritaStore {
  readonly baseURL: string;
  readonly version: string;
  readonly paceMs: number;
  readonly maxUploadBytes: number;
  readonly acceptedMimeTypes: readonly string[];
  readonly #options: StoreOptions;
  #sessions = new Map<string, SessionRecord>();
  #threads = new Map<string, ThreadRecord>();
  #attachments = new Map<string, AttachmentRecord>();
  #feedback: FeedbackRecord[] = [];
  #replies: ReplyScript[] = [];
  #chatResponses = new Map<string, ChatResponseRecord>();
  readonly #chatListeners = new Map<string, Set<() => void>>();
  readonly #startedAt = Date.now();

  constructor(options: StoreOptions = {}) {
    this.#options = options;
    this.baseURL = (options.baseURL ?? 'http://localhost:8000').replace(/\/+$/, '');
    this.version = options.version ?? '0.0.0-mock';
    this.paceMs = options.paceMs ?? 0;
    this.maxUploadBytes = options.maxUploadBytes ?? 20 * 1024 * 1024;
    this.acceptedMimeTypes = options.acceptedMimeTypes ?? defaultUploadTypes;
  }

  /** Seconds since the store was created, for `/api/health`. */
  get uptime(): number {
    return (Date.now() - this.#startedAt) / 1000;
  }

  /** The provider the chat doors name. */
  get chatProvider(): string {
    return this.#options.chatProvider ?? 'mock';
  }

  /** The model the chat doors name by default. */
  get chatModel(): string {
    return this.#options.chatModel ?? 'mock-1';
  }

  /** Milliseconds of silence after which a chat stream sends a `: keep-alive` comment. */
  get heartbeatMs(): number {
    return this.#options.heartbeatMs ?? 15_000;
  }

  /** Forgets every session, thread, attachment, feedback, queued reply and chat reply (running ones stop). */
  reset(): void {
    for (const record of this.#chatResponses.values()) {
      if (record.status === 'running') record.controller.abort(new Error('The store was reset.'));
    }
    this.#chatResponses.clear();
    this.#chatListeners.clear();
    this.#sessions.clear();
    this.#threads.clear();
    this.#attachments.clear();
    this.#feedback = [];
    this.#replies = [];
  }

  // Sessions

  /**
   * Issues a client secret (`cks_fake_...`) for a new session of `user` (user id `usr_<user>`), or of a
   * fresh anonymous user.
   */
  createSession(options: { user?: string; ttlSeconds?: number } = {}): ChatKitSession {
    const ttl = options.ttlSeconds ?? this.#options.sessionTtlSeconds ?? 3600;
    const record: SessionRecord = {
      id: newId('session'),
      userId: options.user === undefined ? newId('user') : `usr_${options.user}`,
      clientSecret: `cks_fake_${randomHex(16)}`,
      expiresAt: new Date(Date.now() + ttl * 1000).toISOString(),
    };
    this.#sessions.set(record.clientSecret, record);
    return {
      client_secret: record.clientSecret,
      session_id: record.id,
      expires_at: record.expiresAt,
      user_id: record.userId,
      capabilities: {
        transcription: true,
        attachments: { max_bytes: this.maxUploadBytes, accept: [...this.acceptedMimeTypes] },
      },
    };
  }

  /** The session a client secret belongs to, unless it is unknown or expired. */
  authenticate(clientSecret: string): SessionRecord | undefined {
    const session = this.#sessions.get(clientSecret);
    if (!session || Date.parse(session.expiresAt) <= Date.now()) return undefined;
    return session;
  }

  /**
   * The caller an API key stands for on client-secret routes: the user named in `X-Cartrita-User`,
   * else `usr_service`, as the reference server does.
   */
  apiKeyCaller(userId: string | undefined): SessionRecord {
    return {
      id: 'sess_api_key',
      userId: userId ?? 'usr_service',
      clientSecret: '',
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    };
  }

  /** Whether `key` is one of the configured API keys. */
  isApiKey(key: string): boolean {
    return (this.#options.apiKeys ?? []).includes(key);
  }

  /** Every session issued so far. */
  get sessions(): readonly SessionRecord[] {
    return [...this.#sessions.values()];
  }

  // Threads

  /** Creates an empty thread for `userId`. */
  createThread(userId: string, options: { title?: string } = {}): ThreadRecord {
    const record: ThreadRecord = {
      id: newId('thread'),
      userId,
      created_at: now(),
      status: { type: 'active' },
      items: [],
      ...(options.title !== undefined ? { title: options.title } : {}),
    };
    this.#threads.set(record.id, record);
    return record;
  }

  /** A thread of `userId`; another user's thread is a 404 like an unknown one. */
  getThread(userId: string, threadId: string): ThreadRecord {
    const thread = this.#threads.get(threadId);
    if (!thread || thread.userId !== userId) throw threadNotFound(threadId);
    return thread;
  }

  /** A thread of `userId` that takes new messages: a locked or closed one is a 409. */
  getOpenThread(userId: string, threadId: string): ThreadRecord {
    const thread = this.getThread(userId, threadId);
    if (thread.status.type !== 'active') {
      throw new MockHttpError(
        'CONFLICT',
        `Thread ${thread.id} is ${thread.status.type} and takes no new messages`,
      );
    }
    return thread;
  }

  /** Any thread by id, whoever owns it (for tests that look inside). */
  thread(threadId: string): ThreadRecord | undefined {
    return this.#threads.get(threadId);
  }

  /** The threads of `userId`, oldest first. */
  threadsOf(userId: string): ThreadRecord[] {
    return [...this.#threads.values()].filter((thread) => thread.userId === userId);
  }

  /** A thread on the wire, with `items` as given (an empty page by default). */
  toThread(thread: ThreadRecord, items: Page<ThreadItem> = { data: [], has_more: false }): Thread {
    return {
      id: thread.id,
      ...(thread.title !== undefined ? { title: thread.title } : {}),
      created_at: thread.created_at,
      status: thread.status,
      metadata: {},
      items,
    };
  }

  /** `threads.get_by_id`: the thread with its first page of items, oldest first, 20 at most. */
  threadWithItems(userId: string, threadId: string): Thread {
    const thread = this.getThread(userId, threadId);
    return this.toThread(thread, paginate(this.visibleItems(thread), { order: 'asc' }, itemNotFound));
  }

  /** `threads.list`: the user's threads, newest first by default. */
  listThreads(userId: string, query: PageQuery): Page<Thread> {
    const page = paginate(this.threadsOf(userId), query, threadNotFound);
    return { ...page, data: page.data.map((thread) => this.toThread(thread)) };
  }

  /** `threads.update`: renames a thread; answers it with an empty items page. */
  renameThread(userId: string, threadId: string, title: string): Thread {
    const thread = this.getThread(userId, threadId);
    thread.title = title.trim();
    return this.toThread(thread);
  }

  /** `threads.delete`: removes a thread, its items and its attachments. */
  deleteThread(userId: string, threadId: string): void {
    this.getThread(userId, threadId);
    this.#threads.delete(threadId);
    for (const [id, record] of this.#attachments) {
      if (record.attachment.thread_id === threadId) this.#attachments.delete(id);
    }
  }

  // Items

  /** The items a client may see, oldest first: hidden items are never returned. */
  visibleItems(thread: ThreadRecord): ThreadItem[] {
    return thread.items.filter((item): item is ThreadItem => !isHidden(item));
  }

  /** `items.list`: a page of a thread's visible items, newest first by default. */
  listItems(userId: string, threadId: string, query: PageQuery): Page<ThreadItem> {
    return paginate(this.visibleItems(this.getThread(userId, threadId)), query, itemNotFound);
  }

  /** A visible item of a thread, or a 404. */
  getItem(thread: ThreadRecord, itemId: string): ThreadItem {
    const item = this.visibleItems(thread).find((candidate) => candidate.id === itemId);
    if (!item) throw itemNotFound(itemId);
    return item;
  }

  /** Saves an item: replaces the item with the same id, or appends it. */
  saveItem(thread: ThreadRecord, item: StoredItem): void {
    const index = thread.items.findIndex((candidate) => candidate.id === item.id);
    if (index >= 0) thread.items[index] = item;
    else thread.items.push(item);
  }

  /** Removes items by id. */
  removeItems(thread: ThreadRecord, itemIds: readonly string[]): void {
    thread.items = thread.items.filter((item) => !itemIds.includes(item.id));
  }

  /** Removes every item after `itemId` (hidden ones included), as `threads.retry_after_item` does. */
  removeItemsAfter(thread: ThreadRecord, itemId: string): void {
    const index = thread.items.findIndex((item) => item.id === itemId);
    if (index < 0) throw itemNotFound(itemId);
    thread.items = thread.items.slice(0, index + 1);
  }

  /**
   * Seeds an item into a thread (visible or hidden), filling in its id, thread and time.
   *
   * @example
   * store.addItem(thread.id, { type: 'client_tool_call', status: 'pending', call_id: 'call_1', name: 'get_selection', arguments: {} });
   */
  addItem(threadId: string, input: StoredItemInput): StoredItem {
    const thread = this.#threads.get(threadId);
    if (!thread) throw new Error(`addItem: thread ${threadId} does not exist`);
    const kind =
      input.type === 'client_tool_call'
        ? 'clientToolCall'
        : isHidden(input as StoredItem)
          ? 'hiddenContext'
          : 'message';
    const candidate = { id: newId(kind), created_at: now(), ...input, thread_id: threadId };
    const schema = isHidden(candidate as StoredItem) ? HiddenContextItem : ThreadItem;
    const parsed = schema.safeParse(candidate);
    if (!parsed.success) {
      throw new MockContractError(`addItem: the item breaks its schema: ${parsed.error.message}`);
    }
    this.saveItem(thread, candidate as StoredItem);
    return candidate as StoredItem;
  }

  /** Builds (without saving) the user message item for an input, expanding attachment ids. */
  userMessage(thread: ThreadRecord, input: UserMessageInput): UserMessageItem {
    this.assertAttachments(thread.userId, input.attachments);
    const attachments = input.attachments.map((id) => this.attachToThread(thread, id));
    return {
      id: newId('message'),
      thread_id: thread.id,
      created_at: now(),
      type: 'user_message',
      content: input.content,
      attachments,
      ...(input.quoted_text != null ? { quoted_text: input.quoted_text } : {}),
      inference_options: {
        ...(input.inference_options.tool_choice != null
          ? { tool_choice: input.inference_options.tool_choice }
          : {}),
        ...(input.inference_options.model != null ? { model: input.inference_options.model } : {}),
      },
    };
  }

  // Feedback

  /** `items.feedback`: records thumbs up or down on items of a thread. */
  recordFeedback(
    userId: string,
    threadId: string,
    itemIds: readonly string[],
    kind: 'positive' | 'negative',
  ): void {
    const thread = this.getThread(userId, threadId);
    for (const id of itemIds) this.getItem(thread, id);
    this.#feedback.push({ userId, threadId, itemIds: [...itemIds], kind, created_at: now() });
  }

  /** Every feedback recorded so far. */
  get feedback(): readonly FeedbackRecord[] {
    return [...this.#feedback];
  }

  // Attachments

  #signedUrl(
    id: string,
    action: 'upload' | 'preview',
    record: { signature: string; expires: number },
  ): string {
    return `${this.baseURL}/chatkit/attachments/${encodeURIComponent(id)}/${action}?expires=${record.expires}&sig=${record.signature}`;
  }

  #checkUpload(size: number, mimeType: string): void {
    if (size > this.maxUploadBytes) {
      throw new MockHttpError(
        'PAYLOAD_TOO_LARGE',
        `Attachments are limited to ${this.maxUploadBytes} bytes`,
        {
          details: { max_bytes: this.maxUploadBytes },
        },
      );
    }
    if (!matchesMime(this.acceptedMimeTypes, mimeType)) {
      throw new MockHttpError('UNSUPPORTED_MEDIA_TYPE', `Attachments of type ${mimeType} are not accepted`, {
        details: { accept: [...this.acceptedMimeTypes] },
      });
    }
  }

  #newAttachment(userId: string, file: { name: string; size: number; mime_type: string }): AttachmentRecord {
    this.#checkUpload(file.size, file.mime_type);
    const id = newId('attachment');
    const signing = { signature: randomHex(16), expires: Math.floor(Date.now() / 1000) + SIGNED_URL_SECONDS };
    const base = { id, name: file.name, mime_type: file.mime_type };
    const attachment: Attachment = file.mime_type.startsWith('image/')
      ? { type: 'image', ...base, preview_url: this.#signedUrl(id, 'preview', signing) }
      : { type: 'file', ...base };
    const record: AttachmentRecord = { attachment, userId, size: file.size, ...signing };
    this.#attachments.set(id, record);
    return record;
  }

  /** `attachments.create`: announces a two-phase upload; the answer says where to send the bytes. */
  createAttachment(userId: string, file: { name: string; size: number; mime_type: string }): Attachment {
    const record = this.#newAttachment(userId, file);
    return {
      ...record.attachment,
      upload_descriptor: {
        url: this.#signedUrl(record.attachment.id, 'upload', record),
        method: 'POST',
        headers: {},
      },
    };
  }

  /** Direct upload: stores the bytes and answers the attachment. */
  uploadAttachment(userId: string, file: { name: string; mime_type: string; bytes: Uint8Array }): Attachment {
    const record = this.#newAttachment(userId, {
      name: file.name,
      size: file.bytes.byteLength,
      mime_type: file.mime_type,
    });
    record.bytes = file.bytes;
    return record.attachment;
  }

  #signed(id: string, signature: { expires: string; sig: string }): AttachmentRecord {
    const record = this.#attachments.get(id);
    if (!record) throw attachmentNotFound(id);
    if (signature.sig !== record.signature || String(record.expires) !== signature.expires) {
      throw new MockHttpError('FORBIDDEN', 'The signature of this URL is invalid');
    }
    if (record.expires * 1000 <= Date.now()) throw new MockHttpError('FORBIDDEN', 'This URL has expired');
    return record;
  }

  /** Second phase of a two-phase upload: the bytes, sent to the signed upload URL. */
  uploadAttachmentBytes(
    id: string,
    signature: { expires: string; sig: string },
    bytes: Uint8Array,
  ): Attachment {
    const record = this.#signed(id, signature);
    if (record.bytes) throw new MockHttpError('CONFLICT', `Attachment ${id} was already uploaded`);
    this.#checkUpload(bytes.byteLength, record.attachment.mime_type);
    record.bytes = bytes;
    return record.attachment;
  }

  /** The bytes behind a signed preview URL. */
  previewAttachment(
    id: string,
    signature: { expires: string; sig: string },
  ): { bytes: Uint8Array; mime_type: string } {
    const record = this.#signed(id, signature);
    if (!record.bytes) throw new MockHttpError('ATTACHMENT_NOT_FOUND', `Attachment ${id} has no bytes yet`);
    return { bytes: record.bytes, mime_type: record.attachment.mime_type };
  }

  /** `attachments.delete`. */
  deleteAttachment(userId: string, id: string): void {
    const record = this.#attachments.get(id);
    if (!record || record.userId !== userId) throw attachmentNotFound(id);
    this.#attachments.delete(id);
  }

  /** An attachment by id, whoever owns it (for tests that look inside). */
  attachment(id: string): AttachmentRecord | undefined {
    return this.#attachments.get(id);
  }

  /** Throws for the first id that is not one of the user's attachments (404) or has no bytes yet (409). */
  assertAttachments(userId: string, ids: readonly string[]): void {
    for (const id of ids) {
      const record = this.#attachments.get(id);
      if (record?.userId !== userId) throw attachmentNotFound(id);
      if (!record.bytes) {
        throw new MockHttpError('CONFLICT', `Attachment ${id} has no bytes yet: upload it before sending`, {
          details: { attachment_id: id },
        });
      }
    }
  }

  /** Binds one of the user's attachments to a thread and returns it as a message carries it. */
  attachToThread(thread: ThreadRecord, id: string): Attachment {
    const record = this.#attachments.get(id);
    if (!record || record.userId !== thread.userId) throw attachmentNotFound(id);
    record.attachment = { ...record.attachment, thread_id: thread.id };
    const parsed = Attachment.safeParse(record.attachment);
    if (!parsed.success) throw new MockContractError(`Attachment ${id} breaks its schema`);
    return record.attachment;
  }

  // Input

  /** `input.transcribe`. */
  transcribe(audio: { audio_base64: string; mime_type: string }): string {
    const transcribe = this.#options.transcribe;
    if (!transcribe) {
      throw new MockHttpError(
        'PROVIDER_NOT_CONFIGURED',
        'Voice transcription is not available: no voice provider is configured on this server.',
        { details: { request_type: 'input.transcribe' } },
      );
    }
    return transcribe(audio);
  }

  // Replies of the chat doors

  /** Starts the record of a new reply of `userId` in a thread; the chat handlers then push its frames. */
  createChatResponse(params: { userId: string; threadId: string; messageId: string }): ChatResponseRecord {
    const record: ChatResponseRecord = {
      id: `${idPrefixes.response}_${randomHex(8)}`,
      ...params,
      frames: [],
      status: 'running',
      controller: new AbortController(),
    };
    this.#chatResponses.set(record.id, record);
    return record;
  }

  /** A reply of `userId`; another user's reply is a 404 like an unknown one, as on the server. */
  chatResponse(userId: string, responseId: string): ChatResponseRecord {
    const record = this.#chatResponses.get(responseId);
    if (!record || record.userId !== userId) {
      throw new MockHttpError('NOT_FOUND', `Response ${responseId} does not exist`, {
        details: { kind: 'response', id: responseId },
      });
    }
    return record;
  }

  /** Every reply of the chat doors so far, oldest first (for tests that look inside). */
  get chatResponses(): readonly ChatResponseRecord[] {
    return [...this.#chatResponses.values()];
  }

  /** Appends a frame to a running reply, checked against `ChatStreamFrame`, and wakes its listeners. */
  pushChatFrame(record: ChatResponseRecord, frame: ChatStreamFrame): void {
    if (record.status !== 'running') {
      throw new MockContractError(`Reply ${record.id} has ended; it takes no more frames`);
    }
    assertWire(ChatStreamFrame, frame, `Frame ${record.frames.length + 1} of ${record.id}`);
    record.frames.push(frame);
    this.#notify(record);
  }

  /** Ends a reply (after its last frame) and wakes its listeners. */
  endChatResponse(record: ChatResponseRecord, status: Exclude<ChatResponseStatus, 'running'>): void {
    if (record.status !== 'running') return;
    record.status = status;
    this.#notify(record);
  }

  /** Calls `listener` after each new frame of a reply and when it ends. Returns a function that stops. */
  watchChatResponse(record: ChatResponseRecord, listener: () => void): () => void {
    if (record.status !== 'running') return () => {};
    let listeners = this.#chatListeners.get(record.id);
    if (!listeners) {
      listeners = new Set();
      this.#chatListeners.set(record.id, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }

  /** Resolves when a reply has ended. */
  chatResponseEnded(record: ChatResponseRecord): Promise<void> {
    return new Promise((resolve) => {
      if (record.status !== 'running') return resolve();
      const stop = this.watchChatResponse(record, () => {
        if (record.status === 'running') return;
        stop();
        resolve();
      });
    });
  }

  /**
   * Does to a running reply what a server restart does: the reply stops, the text its frames hold is
   * saved as the assistant message with a hidden note that it is incomplete, and its log ends with an
   * `incomplete` frame. For testing how a client handles a reply cut short.
   */
  interruptChatResponse(responseId: string, reason = 'server_restarted'): void {
    const record = this.#chatResponses.get(responseId);
    if (!record) throw new Error(`interruptChatResponse: reply ${responseId} does not exist`);
    if (record.status !== 'running') return;
    const thread = this.#threads.get(record.threadId);
    const text = record.frames.map((frame) => (frame.type === 'chunk' ? frame.content : '')).join('');
    if (thread) {
      if (text.trim() !== '') {
        this.saveItem(thread, {
          id: record.messageId,
          thread_id: thread.id,
          created_at: now(),
          type: 'assistant_message',
          content: [{ type: 'output_text', text, annotations: [] }],
        });
      }
      this.saveItem(thread, {
        id: newId('hiddenContext'),
        thread_id: thread.id,
        created_at: now(),
        type: 'sdk_hidden_context',
        content: 'The server stopped while writing the last assistant message; it is incomplete.',
      });
    }
    this.pushChatFrame(record, { type: 'incomplete', message_id: record.messageId, reason });
    this.endChatResponse(record, 'incomplete');
    record.controller.abort(new Error('The reply was interrupted.'));
  }

  #notify(record: ChatResponseRecord): void {
    for (const listener of [...(this.#chatListeners.get(record.id) ?? [])]) listener();
    if (record.status !== 'running') this.#chatListeners.delete(record.id);
  }

  // The assistant

  /**
   * Scripts the next replies of the assistant, one per turn, in order. Each is markdown text, a list
   * of {@link ReplyPart}s or a function of the turn. When the queue is empty the default responder
   * answers again.
   *
   * @example
   * store.respondWith('Hello **there**');
   * store.respondWith([{ type: 'client_tool_call', name: 'get_selection', arguments: {} }]);
   * store.respondWith(({ input }) => `Echo: ${input?.content[0]?.text}`);
   */
  respondWith(...replies: ReplyScript[]): void {
    this.#replies.push(...replies);
  }

  /** The replies still queued. */
  get pendingReplies(): number {
    return this.#replies.length;
  }

  /** Takes the next scripted reply (or asks the default responder) for a turn. */
  async nextReply(context: ResponderContext): Promise<Reply> {
    const script = this.#replies.shift() ?? this.#options.responder ?? defaultResponder;
    return typeof script === 'function' ? await script(context) : script;
  }
}

/**
 * Creates the in-memory fake behind the handlers.
 *
 * @example
 * const store = createStore({ paceMs: 5 });
 * const server = setupServer(...createHandlers({ store }));
 * store.respondWith('Hi! How can I help?');
 */
export const createStore = (options: StoreOptions = {}): CartritaStore => new CartritaStore(options);
