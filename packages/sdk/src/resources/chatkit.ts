import {
  Attachment,
  type ChatKitParamsOf,
  type ChatKitRequestInput,
  type ChatKitResultOf,
  ChatKitSession,
  chatKitJsonResults,
  type JsonRequestType,
  type SessionCreateParams,
  type StreamingRequestType,
  ThreadStreamEvent,
} from '@cartrita/contracts';
import type { SSEMessage, Stream, UnknownSSEEvent } from '../core/stream.js';
import type { RequestCallOptions } from './health.js';
import { APIResource } from './resource.js';

/** An event of a ChatKit stream: a known {@link ThreadStreamEvent}, or one this SDK does not know yet. */
export type ChatKitStreamEvent = ThreadStreamEvent | UnknownSSEEvent;

/** Decodes one `data:` frame; anything unknown or invalid is surfaced as an unknown event. */
export const decodeChatKitEvent = (message: SSEMessage): ThreadStreamEvent | undefined => {
  let data: unknown;
  try {
    data = JSON.parse(message.data);
  } catch {
    return undefined;
  }
  const parsed = ThreadStreamEvent.safeParse(data);
  return parsed.success ? parsed.data : undefined;
};

/** Options of the methods that stream. */
export interface StreamCallOptions extends RequestCallOptions {}

/**
 * The ChatKit door: `POST /api/chatkit/session` and every request type of `POST /chatkit`.
 * Streaming request types return a {@link Stream} of events; the others return their JSON result.
 *
 * @example
 * ```ts
 * const { client_secret } = await client.chatkit.createSession();
 * const chat = new CartritaClient({ baseURL, clientSecret: client_secret });
 * const stream = await chat.chatkit.threads.create({ input: { content: [{ type: 'input_text', text: 'Hi' }], attachments: [], inference_options: {} } });
 * for await (const event of stream) if (event.type === 'thread.item.updated') console.log(event.update);
 * ```
 */
export class ChatKit extends APIResource {
  /** Threads: create, add messages, answer tools and forms, retry, actions, get, list, rename, delete. */
  readonly threads = new ChatKitThreads(this.transport);
  /** Items of a thread: list and feedback. */
  readonly items = new ChatKitItems(this.transport);
  /** Attachments: announce, upload, preview and delete. */
  readonly attachments = new ChatKitAttachments(this.transport);
  /** Voice input. */
  readonly input = new ChatKitInput(this.transport);

  /**
   * Creates a session and its short-lived client secret. Browsers call it without credentials; a
   * backend with an API key may name the `user` the secret acts for.
   */
  createSession(params: SessionCreateParams = {}, options?: RequestCallOptions): Promise<ChatKitSession> {
    return this.transport.request({
      method: 'POST',
      path: '/api/chatkit/session',
      body: params,
      schema: ChatKitSession,
      ...options,
    });
  }

  /** Sends any request; prefer the typed methods. Streams for streaming types, JSON otherwise. */
  request(request: ChatKitRequestInput, options?: RequestCallOptions): Promise<unknown> {
    return this.transport.request({ method: 'POST', path: '/chatkit', body: request, ...options });
  }
}

abstract class ChatKitArea extends APIResource {
  protected json<T extends JsonRequestType>(
    type: T,
    params: ChatKitParamsOf<T>,
    options?: RequestCallOptions,
  ): Promise<ChatKitResultOf<T>> {
    return this.transport.request({
      method: 'POST',
      path: '/chatkit',
      body: { type, params },
      schema: chatKitJsonResults[type],
      ...options,
    }) as Promise<ChatKitResultOf<T>>;
  }

  protected stream<T extends StreamingRequestType>(
    type: T,
    params: ChatKitParamsOf<T>,
    options?: StreamCallOptions,
  ): Promise<Stream<ChatKitStreamEvent>> {
    return this.transport.stream({
      method: 'POST',
      path: '/chatkit',
      body: { type, params },
      decode: decodeChatKitEvent,
      ...options,
    });
  }
}

/** `threads.*` requests. */
export class ChatKitThreads extends ChatKitArea {
  /** Starts a thread with a first message and streams the reply. */
  create(params: ChatKitParamsOf<'threads.create'>, options?: StreamCallOptions) {
    return this.stream('threads.create', params, options);
  }
  /** Adds a user message to a thread and streams the reply. */
  addUserMessage(params: ChatKitParamsOf<'threads.add_user_message'>, options?: StreamCallOptions) {
    return this.stream('threads.add_user_message', params, options);
  }
  /** Answers the thread's pending client tool call and streams the reply. */
  addClientToolOutput(
    params: ChatKitParamsOf<'threads.add_client_tool_output'>,
    options?: StreamCallOptions,
  ) {
    return this.stream('threads.add_client_tool_output', params, options);
  }
  /** Answers a pending structured input and streams the reply. */
  addStructuredInput(params: ChatKitParamsOf<'threads.add_structured_input'>, options?: StreamCallOptions) {
    return this.stream('threads.add_structured_input', params, options);
  }
  /** Drops everything after a user message and streams a new reply to it. */
  retryAfterItem(params: ChatKitParamsOf<'threads.retry_after_item'>, options?: StreamCallOptions) {
    return this.stream('threads.retry_after_item', params, options);
  }
  /** Runs a widget action on the server and streams what follows. */
  customAction(params: ChatKitParamsOf<'threads.custom_action'>, options?: StreamCallOptions) {
    return this.stream('threads.custom_action', params, options);
  }
  /** Runs a widget action and returns the updated item, without streaming. */
  syncCustomAction(params: ChatKitParamsOf<'threads.sync_custom_action'>, options?: RequestCallOptions) {
    return this.json('threads.sync_custom_action', params, options);
  }
  /** A thread with its first page of items. */
  retrieve(params: ChatKitParamsOf<'threads.get_by_id'>, options?: RequestCallOptions) {
    return this.json('threads.get_by_id', params, options);
  }
  /** A page of the caller's threads, newest first by default. */
  list(params: ChatKitParamsOf<'threads.list'> = {}, options?: RequestCallOptions) {
    return this.json('threads.list', params, options);
  }
  /** Renames a thread. */
  update(params: ChatKitParamsOf<'threads.update'>, options?: RequestCallOptions) {
    return this.json('threads.update', params, options);
  }
  /** Deletes a thread, its items and its attachments. */
  delete(params: ChatKitParamsOf<'threads.delete'>, options?: RequestCallOptions) {
    return this.json('threads.delete', params, options);
  }
}

/** `items.*` requests. */
export class ChatKitItems extends ChatKitArea {
  /** A page of a thread's items, newest first by default. */
  list(params: ChatKitParamsOf<'items.list'>, options?: RequestCallOptions) {
    return this.json('items.list', params, options);
  }
  /** Records thumbs up or down on items. */
  feedback(params: ChatKitParamsOf<'items.feedback'>, options?: RequestCallOptions) {
    return this.json('items.feedback', params, options);
  }
}

/** What {@link ChatKitAttachments.upload} sends. */
export type UploadFile = Blob | File;

/** Attachment requests and their bytes. */
export class ChatKitAttachments extends ChatKitArea {
  /** Announces an upload; the answer's `upload_descriptor` says where to send the bytes. */
  create(params: ChatKitParamsOf<'attachments.create'>, options?: RequestCallOptions) {
    return this.json('attachments.create', params, options);
  }
  /** Removes an attachment that was not sent. */
  delete(params: ChatKitParamsOf<'attachments.delete'>, options?: RequestCallOptions) {
    return this.json('attachments.delete', params, options);
  }

  /** Uploads a file in one request (multipart field `file`) and returns its attachment. */
  upload(file: UploadFile, name?: string, options?: RequestCallOptions): Promise<Attachment> {
    const body = new FormData();
    body.append('file', file, name ?? (file as File).name ?? 'upload');
    return this.transport.request({
      method: 'POST',
      path: '/chatkit/attachments',
      body,
      schema: Attachment,
      ...options,
    });
  }

  /**
   * Sends the bytes of an attachment made by {@link create} to its upload URL (which carries its own
   * signature) and returns the uploaded attachment.
   */
  async uploadBytes(
    attachment: Attachment,
    file: UploadFile,
    options?: RequestCallOptions,
  ): Promise<Attachment> {
    const descriptor = attachment.upload_descriptor;
    if (!descriptor)
      throw new TypeError(`Attachment ${attachment.id} has no upload descriptor: it was already uploaded.`);
    const body = new FormData();
    body.append('file', file, attachment.name);
    return this.transport.request({
      method: descriptor.method,
      path: relativeTo(descriptor.url),
      body,
      headers: descriptor.headers,
      schema: Attachment,
      ...options,
    });
  }

  /** The bytes behind a `preview_url` (upload and preview routes of the table). */
  async preview(
    attachment: { id: string; preview_url: string },
    options?: RequestCallOptions,
  ): Promise<Blob> {
    const res = await this.transport.requestRaw({
      method: 'GET',
      path: relativeTo(attachment.preview_url),
      ...options,
    });
    return res.blob();
  }
}

/** `input.*` requests. */
export class ChatKitInput extends ChatKitArea {
  /** Turns recorded audio into text. */
  transcribe(params: ChatKitParamsOf<'input.transcribe'>, options?: RequestCallOptions) {
    return this.json('input.transcribe', params, options);
  }
}

/** The path and query of a server URL, so it goes through the transport (retries, timeouts). */
const relativeTo = (url: string): string => {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
};
