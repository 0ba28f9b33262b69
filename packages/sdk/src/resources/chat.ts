/** @module @cartrita/sdk/chat: `/api/chat`, its JSON reply and its resumable stream. */

import { ChatCancelResponse, ChatResponse, ChatStreamFrame } from '@cartrita/contracts';
import { APIPromise } from '../core/api-promise.js';
import { inCall, StreamError } from '../core/errors.js';
import { path } from '../core/path.js';
import type { RequestOptions, Transport } from '../core/request.js';
import { APIResource, type RequestCallOptions } from '../core/resource.js';
import { ResumableConnector, ResumableStream, type ResumeOptions } from '../core/resumable-stream.js';
import type { RouteBody, RouteEvent, RouteParams, RouteQuery, RouteResult } from '../core/route-types.js';
import type { SSEMessage, UnknownSSEEvent } from '../core/stream.js';

/** `client.chat.create()` params: the message, and the conversation to continue (seed 000). */
export type ChatCreateParams = RouteBody<'chat.create'>;

/** `client.chat.create()` result: the whole reply. */
export type ChatCreateResult = RouteResult<'chat.create'>;

/** `client.chat.stream()` params: the same fields as {@link ChatCreateParams}. */
export type ChatStreamParams = RouteBody<'chat.stream'>;

/**
 * `client.chat.streamGet()` and `client.chat.eventSourceUrl()` params: the route's query, where
 * `message` is required and the client secret is passed on its own.
 */
export type ChatStreamGetParams = Omit<RouteQuery<'chat.stream_get'>, 'access_token' | 'message'> & {
  message: NonNullable<RouteQuery<'chat.stream_get'>['message']>;
};

/** `client.chat.cancel()` argument: the `{response_id}` of the route's path. */
export type ChatCancelResponseId = RouteParams<'chat.responses.cancel'>['response_id'];

/** `client.chat.cancel()` result: whether the reply was still running. */
export type ChatCancelResult = RouteResult<'chat.responses.cancel'>;

/** A known frame of a chat stream: the route's event schema. */
export type ChatFrame = RouteEvent<'chat.stream'>;

/** A frame of a chat stream: a known {@link ChatFrame}, or one this SDK does not know yet. */
export type ChatStreamEvent = ChatFrame | UnknownSSEEvent;

/** The first frame of a reply: its response, conversation and message ids, provider and model. */
export type ChatStartFrame = Extract<ChatFrame, { type: 'start' }>;

/** A frame that ends a reply: `done`, `error` or `incomplete`. */
export type ChatFinalFrame = Extract<ChatFrame, { type: 'done' | 'error' | 'incomplete' }>;

/** Options of the streaming methods: per-call options plus how the stream reconnects. */
export interface ChatStreamOptions extends RequestCallOptions, ResumeOptions {}

/** What {@link ChatStream.finalResponse} resolves with: the whole reply, as `client.chat.create()` gives it. */
export interface ChatStreamResult {
  /** The whole text of the reply (also what was streamed before a resume). */
  response: string;
  conversation_id: string;
  /** Set by the seed-004 doors (`client.studio.chat`), where the conversation is a session. */
  session_id?: string;
  message_id: string;
  /** Known when the stream saw the `start` frame (not after `resume()` from a later frame). */
  provider?: string;
  /** Known when the stream saw the `start` frame. */
  model?: string;
  usage?: Extract<ChatFrame, { type: 'done' }>['usage'];
  /** `cancelled` when the reply was stopped by `abort()` or `client.chat.cancel()`. */
  finish_reason: 'stop' | 'cancelled';
}

const finalTypes: ReadonlySet<string> = new Set(['done', 'error', 'incomplete']);

/** Whether a frame ends its reply. */
export const isFinalChatFrame = (event: ChatStreamEvent): event is ChatFinalFrame =>
  finalTypes.has(event.type);

/** Decodes one frame; JSON it cannot read, or a frame it does not know, comes through as `unknown`. */
export const decodeChatFrame = (message: SSEMessage): ChatStreamEvent => {
  const unknown: UnknownSSEEvent = {
    type: 'unknown',
    event: message.event,
    id: message.id,
    data: message.data,
  };
  let data: unknown;
  try {
    data = JSON.parse(message.data);
  } catch {
    return unknown;
  }
  const parsed = ChatStreamFrame.safeParse(data);
  return parsed.success ? parsed.data : unknown;
};

/**
 * The reply ended with an `error` frame (the provider failed) or an `incomplete` one (the server
 * stopped before the reply was complete): thrown by {@link ChatStream.finalResponse}. The text so far
 * is in `stream.text`.
 */
export class ChatReplyError extends StreamError {
  /** The frame that ended the reply. */
  readonly frame: Extract<ChatFrame, { type: 'error' | 'incomplete' }>;
  /** The error frame's code (`PROVIDER_ERROR`, ...), or `INCOMPLETE`. */
  readonly code: string;
  /** Whether sending the message again may work. */
  readonly retryable: boolean;

  constructor(frame: Extract<ChatFrame, { type: 'error' | 'incomplete' }>) {
    super(
      frame.type === 'error'
        ? `The reply failed (${frame.code}): ${frame.message}`
        : `The reply is incomplete (${frame.reason}): the server stopped before it was complete`,
    );
    this.frame = frame;
    this.code = frame.type === 'error' ? frame.code : 'INCOMPLETE';
    this.retryable = frame.type === 'error' ? frame.retryable : true;
  }
}

/** Where a stream comes from: the call, sent again with `Last-Event-ID` to resume. */
export type ChatStreamRequest = Pick<RequestOptions, 'method' | 'path' | 'body' | 'query'>;

/**
 * The stream of one chat reply (`/api/chat/stream`, `GET /api/chat/stream`, `/chat/stream`). It
 * **resumes transparently**: when the connection drops (a network error, a body cut short, the idle
 * timeout) it reconnects with `Last-Event-ID`, so a `for await` loop sees every frame exactly once
 * until `done`, `error` or `incomplete`. Frames it does not know come through as `{type: 'unknown'}`.
 *
 * - `abort()` stops reading **and cancels the reply on the server** (the provider call stops; the
 *   partial text is saved). Breaking out of the loop does the same.
 * - `detach()` stops reading but lets the reply run on; `client.chat.resume(id)` with the id it returns
 *   picks it up later (the server keeps a reply running about two minutes without a listener, and its
 *   frames for good).
 *
 * @example
 * ```ts
 * const stream = await client.chat.stream({ message: 'Hello' });
 * for await (const frame of stream) {
 *   if (frame.type === 'chunk') process.stdout.write(frame.content);
 * }
 * console.log(stream.responseId, stream.text);
 * ```
 */
export class ChatStream extends ResumableStream<ChatStreamEvent> {
  readonly #transport: Transport;
  readonly #options: ChatStreamOptions;
  #responseId: string;
  #start: ChatStartFrame | undefined;
  #final: ChatFinalFrame | undefined;
  #text = '';

  private constructor(
    connector: ResumableConnector<ChatStreamEvent>,
    first: Awaited<ReturnType<ResumableConnector<ChatStreamEvent>['connect']>>,
    transport: Transport,
    options: ChatStreamOptions,
  ) {
    super(connector, first);
    this.#transport = transport;
    this.#options = options;
    const from = connector.init.lastEventId;
    this.#responseId = from === undefined ? '' : from.slice(0, from.lastIndexOf(':'));
  }

  /**
   * Sends `request` and returns its stream once the first frame is in (so `responseId` is known), or
   * from `lastEventId` on when given. Used by `client.chat` and `client.studio.chat`.
   */
  static open(
    transport: Transport,
    request: ChatStreamRequest,
    options: ChatStreamOptions & { lastEventId?: string | undefined } = {},
  ): APIPromise<ChatStream> {
    const { maxReconnects, reconnectDelay, onReconnect, lastEventId, ...call } = options;
    const connector = new ResumableConnector<ChatStreamEvent>({
      transport,
      request: { ...call, ...request },
      decode: decodeChatFrame,
      isTerminal: isFinalChatFrame,
      lastEventId,
      maxReconnects,
      reconnectDelay,
      onReconnect,
    });
    return connector.connect(lastEventId, false).mapData(
      async (first) => {
        const stream = new ChatStream(connector, first, transport, options);
        if (lastEventId === undefined) {
          try {
            const start = await stream.peek();
            if (start?.type !== 'start') {
              throw new StreamError(`The stream did not begin with a start frame${inCall(request)}`, {
                method: request.method,
                path: request.path,
              });
            }
            stream.#responseId = start.response_id;
          } catch (error) {
            stream.detach();
            throw error;
          }
        }
        return stream;
      },
      () => connector.dispose(),
    );
  }

  /** The reply's id (`resp_…`): what `client.chat.cancel()` takes. */
  get responseId(): string {
    return this.#responseId;
  }

  /** The `start` frame: conversation, message, provider and model. Absent after a resume from a later frame. */
  get start(): ChatStartFrame | undefined {
    return this.#start;
  }

  /** The text of the `chunk` frames the loop has reached so far. */
  get text(): string {
    return this.#text;
  }

  /** The frame that ended the reply (`done`, `error` or `incomplete`), once the loop reached it. */
  get finalFrame(): ChatFinalFrame | undefined {
    return this.#final;
  }

  /**
   * Reads the stream to its end (or waits for the loop already reading it) and returns the whole
   * reply. Rejects with {@link ChatReplyError} when it ended with `error` or `incomplete`, and with a
   * `StreamError` when it was stopped before its end.
   */
  async finalResponse(): Promise<ChatStreamResult> {
    if (this.started) await this.ended;
    else {
      for await (const _ of this) {
        // Drained for its side effects: the text and the final frame.
      }
    }
    const final = this.#final;
    if (final?.type === 'done') {
      const start = this.#start;
      return {
        response: final.response,
        conversation_id: final.conversation_id,
        ...(final.session_id === undefined ? {} : { session_id: final.session_id }),
        message_id: final.message_id,
        ...(start ? { provider: start.provider, model: start.model } : {}),
        ...(final.usage === undefined ? {} : { usage: final.usage }),
        finish_reason: final.finish_reason,
      };
    }
    if (final) throw new ChatReplyError(final);
    throw new StreamError(`The stream of ${this.#responseId} stopped before the reply ended`);
  }

  /**
   * Stops reading **and cancels the reply on the server**, which stops the provider and saves the
   * partial text. A loop reading the stream ends without an error. Resolves with the server's answer,
   * or `undefined` when the cancel request failed (it never rejects; call `client.chat.cancel()` to
   * see errors).
   */
  override abort(reason?: unknown): Promise<ChatCancelResult | undefined> {
    const ended = this.#final !== undefined;
    this.stop(reason);
    return ended ? Promise.resolve(undefined) : this.#cancel();
  }

  /**
   * Stops reading **without** cancelling: the reply runs on, and `client.chat.resume(id)` with the
   * returned id picks it up where this stream left off, exactly once.
   */
  detach(): string {
    this.stop();
    return this.lastEventId ?? `${this.#responseId}:0`;
  }

  protected override onItem(item: ChatStreamEvent): void {
    if (item.type === 'chunk') this.#text += item.content;
    else if (item.type === 'start') {
      this.#start = item;
      this.#responseId = item.response_id;
    } else if (isFinalChatFrame(item)) this.#final = item;
  }

  protected override onEarlyExit(): void {
    if (this.#final === undefined) void this.#cancel();
  }

  #cancel(): Promise<ChatCancelResult | undefined> {
    if (!this.#responseId) return Promise.resolve(undefined);
    const { headers, timeout, maxRetries } = this.#options;
    return cancelResponse(this.#transport, this.#responseId, { headers, timeout, maxRetries }).catch(
      () => undefined,
    );
  }
}

const cancelResponse = (
  transport: Transport,
  responseId: ChatCancelResponseId,
  options?: RequestCallOptions,
): Promise<ChatCancelResult> =>
  transport.request({
    method: 'POST',
    path: path`/api/chat/responses/${responseId}/cancel`,
    schema: ChatCancelResponse,
    ...options,
  });

/** A frame id to resume from: `<response_id>:<n>`. */
const resumePoint = /^[^:\s]+:\d{1,15}$/;

/**
 * `/api/chat` of seed 000: a reply as one JSON answer, or as a stream that resumes by itself after a
 * dropped connection. A conversation is a ChatKit thread: `conversation_id` continues one.
 *
 * @example
 * ```ts
 * const { response, conversation_id } = await client.chat.create({ message: 'Hi' });
 * const stream = await client.chat.stream({ message: 'And then?', conversation_id });
 * for await (const frame of stream) if (frame.type === 'chunk') process.stdout.write(frame.content);
 * ```
 */
export class Chat extends APIResource {
  /** `POST /api/chat`: sends a message and answers the whole reply. */
  create(params: ChatCreateParams, options?: RequestCallOptions): APIPromise<ChatCreateResult> {
    return this.transport.request({
      method: 'POST',
      path: '/api/chat',
      body: params,
      schema: ChatResponse,
      ...options,
    });
  }

  /**
   * `POST /api/chat/stream`: sends a message and streams the reply; resolves once its `start` frame
   * is in. The stream resumes by itself after a dropped connection; see {@link ChatStream}.
   */
  stream(params: ChatStreamParams, options?: ChatStreamOptions): APIPromise<ChatStream> {
    return ChatStream.open(
      this.transport,
      { method: 'POST', path: '/api/chat/stream', body: params },
      options,
    );
  }

  /**
   * `GET /api/chat/stream`: the same stream with the message in the query, as `EventSource` sends it.
   * In a browser, `new EventSource(client.chat.eventSourceUrl(params, secret))` is the native way;
   * this method is for parity and for runtimes without `EventSource`.
   */
  streamGet(params: ChatStreamGetParams, options?: ChatStreamOptions): APIPromise<ChatStream> {
    return ChatStream.open(
      this.transport,
      { method: 'GET', path: '/api/chat/stream', query: { ...params } },
      options,
    );
  }

  /**
   * The URL of `GET /api/chat/stream` for `EventSource`, with the client secret as `access_token`
   * (browsers cannot send headers with `EventSource`; the server keeps the token out of its logs).
   * `EventSource` reconnects by itself with `Last-Event-ID`; close it when a `done`, `error` or
   * `incomplete` frame arrives, or it reconnects to a finished reply.
   *
   * @example
   * ```ts
   * const source = new EventSource(client.chat.eventSourceUrl({ message: 'Hi' }, clientSecret));
   * source.onmessage = (event) => {
   *   const frame = JSON.parse(event.data);
   *   if (frame.type === 'chunk') output.append(frame.content);
   *   if (['done', 'error', 'incomplete'].includes(frame.type)) source.close();
   * };
   * ```
   */
  eventSourceUrl(params: ChatStreamGetParams, clientSecret: string): string {
    const url = new URL(`${this.transport.baseURL.replace(/\/+$/, '')}/api/chat/stream`);
    for (const [key, value] of Object.entries(params)) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    url.searchParams.set('access_token', clientSecret);
    return url.toString();
  }

  /**
   * `POST /api/chat/responses/{response_id}/cancel`: stops a streaming reply; the provider call is
   * aborted and the partial text saved. `status` is `not_running` when it had already ended.
   */
  cancel(responseId: ChatCancelResponseId, options?: RequestCallOptions): Promise<ChatCancelResult> {
    return cancelResponse(this.transport, responseId, options);
  }

  /**
   * Picks up a reply from a saved frame id (`stream.lastEventId`, or what `stream.detach()` returned):
   * the frames after it, then the live ones, exactly once. Works on any reply of the same user, also
   * one that has ended (its frames are kept) or was cut short by a server restart (it ends with an
   * `incomplete` frame).
   */
  resume(lastEventId: string, options?: ChatStreamOptions): APIPromise<ChatStream> {
    if (!resumePoint.test(lastEventId)) {
      return new APIPromise<ChatStream>(
        Promise.reject(
          new TypeError(
            `resume() needs a frame id such as resp_3f9a1c2b:12, got ${JSON.stringify(lastEventId)}`,
          ),
        ),
      );
    }
    return ChatStream.open(
      this.transport,
      { method: 'GET', path: '/api/chat/stream' },
      { ...options, lastEventId },
    );
  }
}
