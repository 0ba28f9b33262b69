/** @module @cartrita/sdk/chatkit: the ChatKit door, `/api/chatkit/session` and `/chatkit`. */

import {
  Attachment,
  type ChatKitResultOf,
  ChatKitSession,
  chatKitJsonResults,
  type JsonRequestType,
  type StreamingRequestType,
  ThreadStreamEvent,
} from '@cartrita/contracts';
import type { StandardSchemaV1 } from 'ky';
import type { APIPromise } from '../core/api-promise.js';
import { type PagePromise, type PageSpec, requestPage } from '../core/pagination.js';
import type { SchemaRequestOptions, Transport } from '../core/request.js';
import { APIResource, type RequestCallOptions } from '../core/resource.js';
import type { RouteBody, RouteEvent, RouteResult } from '../core/route-types.js';
import type { SSEMessage, Stream, UnknownSSEEvent } from '../core/stream.js';
import {
  type ProgressSending,
  progressSending,
  requestWhenReady,
  toFile,
  type Uploadable,
  type UploadProgress,
} from '../core/uploads.js';

/** Any request of `POST /chatkit`, as a caller writes it: the route's body. */
export type ChatKitRequestParams = RouteBody<'chatkit.request'>;

/** The `params` of the `/chatkit` request of one `type`, as the route's body schema takes them. */
export type ChatKitParams<T extends ChatKitRequestParams['type']> = Extract<
  ChatKitRequestParams,
  { type: T }
>['params'];

/** A known event of a ChatKit stream: the route's event schema. */
export type ChatKitEvent = RouteEvent<'chatkit.request'>;

/** An event of a ChatKit stream: a known {@link ChatKitEvent}, or one this SDK does not know yet. */
export type ChatKitStreamEvent = ChatKitEvent | UnknownSSEEvent;

/** `client.chatkit.createSession()` params: the body of `POST /api/chatkit/session`. */
export type ChatKitCreateSessionParams = RouteBody<'chatkit.session.create'>;
/** `client.chatkit.createSession()` result. */
export type ChatKitCreateSessionResult = RouteResult<'chatkit.session.create'>;
/** `client.chatkit.attachments.upload()` and `.uploadBytes()` result: the uploaded attachment. */
export type ChatKitAttachmentsUploadResult = RouteResult<'chatkit.attachments.upload'>;
/** `client.chatkit.attachments.uploadBytes()` result: the attachment, now uploaded. */
export type ChatKitAttachmentsUploadBytesResult = RouteResult<'chatkit.attachments.upload_bytes'>;

/** `client.chatkit.threads.create()` params. */
export type ChatKitThreadsCreateParams = ChatKitParams<'threads.create'>;
/** `client.chatkit.threads.addUserMessage()` params. */
export type ChatKitThreadsAddUserMessageParams = ChatKitParams<'threads.add_user_message'>;
/** `client.chatkit.threads.addClientToolOutput()` params. */
export type ChatKitThreadsAddClientToolOutputParams = ChatKitParams<'threads.add_client_tool_output'>;
/** `client.chatkit.threads.addStructuredInput()` params. */
export type ChatKitThreadsAddStructuredInputParams = ChatKitParams<'threads.add_structured_input'>;
/** `client.chatkit.threads.retryAfterItem()` params. */
export type ChatKitThreadsRetryAfterItemParams = ChatKitParams<'threads.retry_after_item'>;
/** `client.chatkit.threads.customAction()` params. */
export type ChatKitThreadsCustomActionParams = ChatKitParams<'threads.custom_action'>;
/** `client.chatkit.threads.syncCustomAction()` params. */
export type ChatKitThreadsSyncCustomActionParams = ChatKitParams<'threads.sync_custom_action'>;
/** `client.chatkit.threads.retrieve()` params. */
export type ChatKitThreadsRetrieveParams = ChatKitParams<'threads.get_by_id'>;
/** `client.chatkit.threads.list()` params. */
export type ChatKitThreadsListParams = ChatKitParams<'threads.list'>;
/** `client.chatkit.threads.update()` params. */
export type ChatKitThreadsUpdateParams = ChatKitParams<'threads.update'>;
/** `client.chatkit.threads.delete()` params. */
export type ChatKitThreadsDeleteParams = ChatKitParams<'threads.delete'>;
/** `client.chatkit.items.list()` params. */
export type ChatKitItemsListParams = ChatKitParams<'items.list'>;
/** `client.chatkit.items.feedback()` params. */
export type ChatKitItemsFeedbackParams = ChatKitParams<'items.feedback'>;
/** `client.chatkit.attachments.create()` params. */
export type ChatKitAttachmentsCreateParams = ChatKitParams<'attachments.create'>;
/** `client.chatkit.attachments.delete()` params. */
export type ChatKitAttachmentsDeleteParams = ChatKitParams<'attachments.delete'>;
/** `client.chatkit.input.transcribe()` params. */
export type ChatKitInputTranscribeParams = ChatKitParams<'input.transcribe'>;

/** Decodes one `data:` frame; anything unknown or invalid is surfaced as an unknown event. */
export const decodeChatKitEvent = (message: SSEMessage): ChatKitEvent | undefined => {
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
  createSession(
    params: ChatKitCreateSessionParams = {},
    options?: RequestCallOptions,
  ): APIPromise<ChatKitCreateSessionResult> {
    return this.transport.request({
      method: 'POST',
      path: '/api/chatkit/session',
      body: params,
      schema: ChatKitSession,
      ...options,
    });
  }

  /**
   * Sends any request and answers its JSON, unvalidated: an escape hatch for request types this SDK
   * does not know yet. Prefer the typed methods; streaming types need them.
   */
  request(request: ChatKitRequestParams, options?: RequestCallOptions): APIPromise<unknown> {
    return this.transport.request({ method: 'POST', path: '/chatkit', body: request, ...options });
  }
}

/** The fields of a cursor page that paging reads. */
interface CursorBody {
  data: unknown[];
  has_more: boolean;
  after?: string | null | undefined;
}

abstract class ChatKitArea extends APIResource {
  protected json<T extends JsonRequestType>(
    type: T,
    params: ChatKitParams<T>,
    options?: RequestCallOptions,
  ): APIPromise<ChatKitResultOf<T>> {
    return this.transport.request({
      method: 'POST',
      path: '/chatkit',
      body: { type, params },
      schema: chatKitJsonResults[type],
      ...options,
    }) as APIPromise<ChatKitResultOf<T>>;
  }

  /** A cursor-paged list (`{data, has_more, after}`): the page, and every item after it when iterated. */
  protected page<T extends 'threads.list' | 'items.list'>(
    type: T,
    params: ChatKitParams<T>,
    options?: RequestCallOptions,
  ): PagePromise<ChatKitResultOf<T>, ChatKitResultOf<T>['data'][number]> {
    const spec: PageSpec<CursorBody, unknown> = {
      items: (body) => body.data,
      next: (body) =>
        body.has_more && body.after
          ? () => this.page(type, { ...params, after: body.after } as ChatKitParams<T>, options) as never
          : undefined,
    };
    return requestPage(
      this.transport,
      {
        method: 'POST',
        path: '/chatkit',
        body: { type, params },
        schema: chatKitJsonResults[type] as StandardSchemaV1<unknown, CursorBody>,
        ...options,
      },
      spec,
    ) as unknown as PagePromise<ChatKitResultOf<T>, ChatKitResultOf<T>['data'][number]>;
  }

  protected stream<T extends StreamingRequestType>(
    type: T,
    params: ChatKitParams<T>,
    options?: StreamCallOptions,
  ): APIPromise<Stream<ChatKitStreamEvent>> {
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
  create(params: ChatKitThreadsCreateParams, options?: StreamCallOptions) {
    return this.stream('threads.create', params, options);
  }
  /** Adds a user message to a thread and streams the reply. */
  addUserMessage(params: ChatKitThreadsAddUserMessageParams, options?: StreamCallOptions) {
    return this.stream('threads.add_user_message', params, options);
  }
  /** Answers the thread's pending client tool call and streams the reply. */
  addClientToolOutput(params: ChatKitThreadsAddClientToolOutputParams, options?: StreamCallOptions) {
    return this.stream('threads.add_client_tool_output', params, options);
  }
  /** Answers a pending structured input and streams the reply. */
  addStructuredInput(params: ChatKitThreadsAddStructuredInputParams, options?: StreamCallOptions) {
    return this.stream('threads.add_structured_input', params, options);
  }
  /** Drops everything after a user message and streams a new reply to it. */
  retryAfterItem(params: ChatKitThreadsRetryAfterItemParams, options?: StreamCallOptions) {
    return this.stream('threads.retry_after_item', params, options);
  }
  /** Runs a widget action on the server and streams what follows. */
  customAction(params: ChatKitThreadsCustomActionParams, options?: StreamCallOptions) {
    return this.stream('threads.custom_action', params, options);
  }
  /** Runs a widget action and returns the updated item, without streaming. */
  syncCustomAction(params: ChatKitThreadsSyncCustomActionParams, options?: RequestCallOptions) {
    return this.json('threads.sync_custom_action', params, options);
  }
  /** A thread with its first page of items. */
  retrieve(params: ChatKitThreadsRetrieveParams, options?: RequestCallOptions) {
    return this.json('threads.get_by_id', params, options);
  }
  /**
   * A page of the caller's threads, newest first by default; iterate it (`for await`) to go through
   * every thread, page after page.
   */
  list(params: ChatKitThreadsListParams = {}, options?: RequestCallOptions) {
    return this.page('threads.list', params, options);
  }
  /** Renames a thread. */
  update(params: ChatKitThreadsUpdateParams, options?: RequestCallOptions) {
    return this.json('threads.update', params, options);
  }
  /** Deletes a thread, its items and its attachments. */
  delete(params: ChatKitThreadsDeleteParams, options?: RequestCallOptions) {
    return this.json('threads.delete', params, options);
  }
}

/** `items.*` requests. */
export class ChatKitItems extends ChatKitArea {
  /** A page of a thread's items, newest first by default; iterate it to go through every item. */
  list(params: ChatKitItemsListParams, options?: RequestCallOptions) {
    return this.page('items.list', params, options);
  }
  /** Records thumbs up or down on items. */
  feedback(params: ChatKitItemsFeedbackParams, options?: RequestCallOptions) {
    return this.json('items.feedback', params, options);
  }
}

/**
 * What {@link ChatKitAttachments.upload} sends: a `Blob` or `File`, bytes (`Uint8Array`, `Buffer`,
 * `ArrayBuffer`), a `ReadableStream` or async iterable of bytes, or a `Response`; `toFile()` makes one
 * from a path in Node.
 */
export type UploadFile = Uploadable;

/** Per-call options of an upload. */
export interface UploadCallOptions extends RequestCallOptions {
  /**
   * Told how many bytes of the request the network has taken, as it takes them: through
   * `XMLHttpRequest` in browsers, by counting the chunks `fetch` reads elsewhere (the call is then not
   * retried).
   */
  onUploadProgress?: ((progress: UploadProgress) => void) | undefined;
}

/** The multipart body of an upload (the file in the field `file`), sent with progress when asked. */
const multipart = async (
  transport: Transport,
  file: Uploadable,
  name: string | undefined,
  options: UploadCallOptions | undefined,
): Promise<ProgressSending> => {
  const upload = await toFile(file, name);
  const form = new FormData();
  form.append('file', upload, upload.name);
  return progressSending(form, options?.onUploadProgress, transport.hasOwnFetch);
};

/** Attachment requests and their bytes. */
export class ChatKitAttachments extends ChatKitArea {
  /** Announces an upload; the answer's `upload_descriptor` says where to send the bytes. */
  create(params: ChatKitAttachmentsCreateParams, options?: RequestCallOptions) {
    return this.json('attachments.create', params, options);
  }
  /** Removes an attachment that was not sent. */
  delete(params: ChatKitAttachmentsDeleteParams, options?: RequestCallOptions) {
    return this.json('attachments.delete', params, options);
  }

  /** Uploads a file in one request (multipart field `file`) and returns its attachment. */
  upload(
    file: UploadFile,
    name?: string,
    options?: UploadCallOptions,
  ): APIPromise<ChatKitAttachmentsUploadResult> {
    const { onUploadProgress: _progress, ...call } = options ?? {};
    return requestWhenReady(
      this.transport,
      multipart(this.transport, file, name ?? (file as File).name, options).then((sending) => ({
        method: 'POST' as const,
        path: '/chatkit/attachments',
        schema: Attachment,
        ...call,
        ...sending,
        headers: { ...call.headers, ...sending.headers },
        fetchOptions: { ...call.fetchOptions, ...sending.fetchOptions },
      })),
    );
  }

  /**
   * Sends the bytes of an attachment made by {@link create} to its upload URL (which carries its own
   * signature) and returns the uploaded attachment.
   */
  uploadBytes(
    attachment: ChatKitResultOf<'attachments.create'>,
    file: UploadFile,
    options?: UploadCallOptions,
  ): APIPromise<ChatKitAttachmentsUploadBytesResult> {
    const descriptor = attachment.upload_descriptor;
    if (!descriptor) {
      const refused = new TypeError(
        `Attachment ${attachment.id} has no upload descriptor: it was already uploaded.`,
      );
      return requestWhenReady(
        this.transport,
        Promise.reject(refused) as Promise<SchemaRequestOptions<typeof Attachment>>,
      );
    }
    const { onUploadProgress: _progress, ...call } = options ?? {};
    return requestWhenReady(
      this.transport,
      multipart(this.transport, file, attachment.name, options).then((sending) => ({
        method: descriptor.method,
        path: relativeTo(descriptor.url),
        schema: Attachment,
        ...call,
        ...sending,
        headers: { ...descriptor.headers, ...call.headers, ...sending.headers },
        fetchOptions: { ...call.fetchOptions, ...sending.fetchOptions },
      })),
    );
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
  transcribe(params: ChatKitInputTranscribeParams, options?: RequestCallOptions) {
    return this.json('input.transcribe', params, options);
  }
}

/** The path and query of a server URL, so it goes through the transport (retries, timeouts). */
const relativeTo = (url: string): string => {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
};
