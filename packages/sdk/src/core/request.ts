import ky, {
  isHTTPError,
  isTimeoutError,
  type Options as KyOptions,
  type StandardSchemaV1,
  type StandardSchemaV1InferOutput,
  type StandardSchemaV1Issue,
} from 'ky';
import { APIPromise, type RawCall } from './api-promise.js';
import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  inCall,
  isCartritaError,
  type RequestDescription,
  ResponseValidationError,
  StreamError,
} from './errors.js';
import { type HeadersInput, mergeHeaders, parseRetryAfter } from './headers.js';
import {
  type LevelLogger,
  type Logger,
  type LogLevel,
  levelLogger,
  redactHeaders,
  redactUrl,
} from './logger.js';
import {
  backoffDelay,
  createIdempotencyKey,
  DEFAULT_MAX_RETRIES,
  idempotentMethods,
  jitter,
  retryableStatuses,
} from './retry.js';
import { readFailure, type SSEDecoder, Stream, type UnknownSSEEvent } from './stream.js';
import {
  CallScope,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_TOTAL_TIMEOUT_MS,
  isActiveTimeout,
} from './timeouts.js';

/** HTTP methods the transport sends. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** Query parameters; `undefined` values are left out and arrays repeat the key. */
export type QueryInput = Record<
  string,
  string | number | boolean | null | undefined | ReadonlyArray<string | number | boolean>
>;

/** A `fetch`-compatible function. */
export type FetchLike = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

/** What {@link AuthTokenProvider} is told about why it is asked. */
export interface AuthTokenContext {
  /**
   * `true` when the server just rejected the current token with a 401: mint a new one rather than
   * returning a cached one.
   */
  force: boolean;
}

/**
 * Supplies a bearer token before every attempt, for short-lived credentials such as ChatKit client
 * secrets. Return `undefined` to fall back to `apiKey`.
 */
export type AuthTokenProvider = (
  context: AuthTokenContext,
) => Promise<string | undefined> | string | undefined;

/** What {@link TransportOptions.onRetry} receives before each retry wait. */
export interface RetryEvent extends RequestDescription {
  /** 1 for the first retry. */
  retry: number;
  /** How long the transport waits before sending again, in milliseconds. */
  delayMs: number;
  /** The failure being retried: an `APIError`, `APIConnectionError` or `APITimeoutError`. */
  error: unknown;
}

/** Timeouts and retries, settable for the whole transport and per call. */
export interface CallOptions {
  /**
   * Retries after the first attempt, for network errors, header timeouts and statuses 408, 409, 429
   * and 5xx. GET, HEAD, PUT, DELETE and OPTIONS are retried; POST and PATCH only with an
   * `Idempotency-Key`. Waits follow `Retry-After`/`retry-after-ms` (at most 60 s), otherwise 0.5 s
   * doubling to 8 s, ±25 %. Default: 2.
   */
  maxRetries?: number | undefined;
  /**
   * Longest wait for the response headers of one attempt, in milliseconds; an attempt that exceeds it
   * is retried like a network error. `0` or `Infinity` turns it off. Default: 180 000, past the
   * reference server's own wait for its provider.
   */
  timeout?: number | undefined;
  /**
   * For streams: longest wait for the next event (SSE comments included), in milliseconds. `0` or
   * `Infinity` turns it off. Default: 60 000.
   */
  idleTimeout?: number | undefined;
  /**
   * Deadline for the whole call in milliseconds: every attempt, every retry wait, and reading the body or
   * the stream to its end. `0` or `Infinity` turns it off. Default: 600 000 (10 min) for a call; none
   * for a stream, which its `idleTimeout` bounds instead, unless this is set on the call or the client.
   */
  totalTimeout?: number | undefined;
}

/** Options of a {@link Transport}. */
export interface TransportOptions extends CallOptions {
  /** Where the API lives; request paths are appended to it, so a path prefix (`/cartrita`) is kept. */
  baseURL: string;
  /**
   * Sent as `Authorization: Bearer <apiKey>`. An API key is a server-side secret: in a browser use
   * `getAuthToken` with short-lived client secrets instead.
   */
  apiKey?: string | undefined;
  /**
   * Consulted before every attempt; its token wins over `apiKey`. When the server answers 401, it is
   * called once more with `{ force: true }` and the call is sent again, once.
   *
   * @example
   * ```ts
   * let secret: string | undefined;
   * const getAuthToken = async ({ force }: AuthTokenContext) => {
   *   if (force || !secret) secret = (await mintClientSecret()).client_secret;
   *   return secret;
   * };
   * ```
   */
  getAuthToken?: AuthTokenProvider | undefined;
  /** Headers sent with every call; a call's own `headers` override them. */
  defaultHeaders?: HeadersInput | undefined;
  /** Replaces the global `fetch` (a framework's fetch, instrumentation, a test double). */
  fetch?: FetchLike | undefined;
  /** Called before each retry wait: for logging and metrics. */
  onRetry?: ((event: RetryEvent) => void) | undefined;
  /**
   * How much to log: `off`, `error` (calls that failed), `warn` (and retries), `info` (and every
   * response, with its status, time and request id) or `debug` (and every request, its headers
   * redacted). Default: `CARTRITA_LOG` in Node, else `off`. Credentials are never logged.
   */
  logLevel?: LogLevel | undefined;
  /** Where log lines go. Default: `console`. */
  logger?: Logger | undefined;
  /**
   * `fetch` options for every call (`credentials: 'include'`, `cache`, `keepalive`, a runtime's own
   * such as Node's `dispatcher` for a proxy); a call's own `fetchOptions` go over them.
   */
  fetchOptions?: RequestInit | undefined;
  /**
   * ky's hooks, run on every attempt: `beforeRequest` (add tracing headers, sign a request) and
   * `afterResponse` (read or replace a response). See ky's documentation for their arguments.
   */
  hooks?: Pick<NonNullable<KyOptions['hooks']>, 'beforeRequest' | 'afterResponse'> | undefined;
}

/** One call, as {@link Transport.request} takes it. */
export interface RequestOptions extends CallOptions {
  /** HTTP method. */
  method: HttpMethod;
  /** Path below `baseURL`; build it with the `path` tag so that ids are encoded. */
  path: string;
  /** Query parameters. */
  query?: QueryInput | undefined;
  /**
   * The body. Plain objects, arrays, numbers, booleans and `null` are sent as JSON; `FormData`, `Blob`,
   * `URLSearchParams`, `ArrayBuffer`, typed arrays, `ReadableStream` and strings are sent untouched (a
   * `FormData` gets its multipart boundary from fetch). A `ReadableStream` body is never retried.
   */
  body?: unknown;
  /** Headers for this call; they override defaults and authentication. `null` removes a header. */
  headers?: HeadersInput | undefined;
  /** Aborts the call, including a retry wait; the call then rejects with `APIUserAbortError`. */
  signal?: AbortSignal | undefined;
  /**
   * The `Idempotency-Key` for a POST. By default every POST gets a random one, the same on each of its
   * retries, so that the server runs it once. Pass your own to make a call idempotent across processes,
   * or `false` to send none, which also turns retries off for the call.
   */
  idempotencyKey?: string | false | undefined;
  /** `fetch` options of this call, over the client's `fetchOptions`. */
  fetchOptions?: RequestInit | undefined;
  /**
   * This call's `fetch`, over the client's: an upload that reports its progress in a browser is sent
   * with one made of `XMLHttpRequest` (see `uploads.ts`).
   */
  fetch?: FetchLike | undefined;
}

/** A call whose JSON response is validated by a schema, as {@link Transport.request} takes it. */
export interface SchemaRequestOptions<Schema extends StandardSchemaV1> extends RequestOptions {
  /**
   * A `zod/mini` schema (any Standard Schema) the JSON response must match; a mismatch rejects with a
   * `ResponseValidationError` that names the path and the failing fields.
   */
  schema: Schema;
}

/** A streaming call, as {@link Transport.stream} takes it. */
export interface StreamRequestOptions<T> extends RequestOptions {
  /** Turns each SSE message into an item; return `undefined` for messages it does not recognise. */
  decode: SSEDecoder<T>;
}

/** The retry count header added to every attempt after the first. */
export const RETRY_COUNT_HEADER = 'x-cartrita-retry-count';

/** Whether fetch sends `body` as it is; of the classes, only those this runtime has are checked. */
const isBodyInit = (body: unknown): body is BodyInit =>
  typeof body === 'string' ||
  ArrayBuffer.isView(body) ||
  [ArrayBuffer, URLSearchParams, globalThis.Blob, globalThis.FormData, globalThis.ReadableStream].some(
    (type) => type !== undefined && body instanceof type,
  );

const toSearchParams = (query: QueryInput | undefined): URLSearchParams | undefined => {
  if (!query) return undefined;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    // `[value].flat()`: an array's items, else the value itself.
    if (value !== undefined) for (const item of [value].flat()) params.append(key, String(item));
  }
  return params;
};

/** Statuses whose responses cannot carry a body. */
const nullBodyStatuses = new Set([101, 103, 204, 205, 304]);

/** A body's text; a failure while reading it becomes the error the caller should see. */
const readText = async (response: Response, scope: CallScope): Promise<string> => {
  try {
    return await response.text();
  } catch (error) {
    throw readFailure(error, scope.signal, scope.request, 'response');
  }
};

/**
 * The response of a call with its body unread: the call's scope (its total deadline) ends when the body
 * has been read or cancelled. A new `Response` with the status, status text and headers of the real one
 * (its `url` is not kept).
 */
const unreadResponse = (response: Response, scope: CallScope): Response => {
  const source = response.body;
  if (!source || nullBodyStatuses.has(response.status)) {
    scope.dispose();
    return response;
  }
  const reader = source.getReader();
  const body = new ReadableStream<Uint8Array>({
    pull: async (controller) => {
      try {
        const { done, value } = await reader.read();
        if (!done) {
          controller.enqueue(value);
          return;
        }
        scope.dispose();
        controller.close();
      } catch (error) {
        controller.error(readFailure(error, scope.signal, scope.request, 'response'));
        scope.dispose();
      }
    },
    cancel: (reason) => {
      scope.dispose();
      return reader.cancel(reason);
    },
  });
  const { status, statusText, headers } = response;
  return new Response(body, { status, statusText, headers });
};

/**
 * The `APIError` for an error response whose body ky read: JSON when the response said so, else its
 * text, which is parsed as JSON too whatever the content type says; an empty body is `undefined`.
 */
const statusError = (request: RequestDescription, response: Response, body: unknown): APIError => {
  let parsed = body === '' ? undefined : body;
  if (typeof parsed === 'string') {
    try {
      parsed = JSON.parse(parsed);
    } catch {
      // Not JSON: the text it is.
    }
  }
  return APIError.from({ ...request, status: response.status, headers: response.headers, body: parsed });
};

const formatIssuePath = (issue: StandardSchemaV1Issue): string =>
  (issue.path ?? [])
    .map((segment) => (typeof segment === 'object' && segment !== null ? segment.key : segment))
    .map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`))
    .join('')
    .replace(/^\./, '');

/**
 * The HTTP core every SDK resource delegates to: authentication, retries, the three timeouts, typed
 * errors and streams.
 *
 * ky sends every call and runs its retries: the limit, the methods and statuses worth a retry, the
 * backoff with its jitter, the time to headers of each attempt. The transport adds what ky's options
 * cannot say (see `docs/decisions/0002-own-retry-loop-around-ky.md`): the server's wait
 * (`retry-after-ms` or `Retry-After`) announced before it starts, no wait that would outlive the total
 * deadline, one new token after a 401, the total and stream idle timeouts, and a lost connection
 * however the fetch failed.
 *
 * @example
 * ```ts
 * const transport = new Transport({ baseURL: 'http://localhost:8787', apiKey: process.env.CARTRITA_API_KEY });
 * const session = await transport.request({ method: 'GET', path: path`/api/sessions/${id}`, schema: Session });
 * ```
 */
export class Transport {
  readonly #options: TransportOptions;
  /** The client's log, at its level. */
  readonly log: LevelLogger;

  constructor(options: TransportOptions) {
    if (!options.baseURL) throw new TypeError('Transport needs a baseURL');
    const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    if (!Number.isInteger(maxRetries) || maxRetries < 0) {
      throw new TypeError(`maxRetries must be a non-negative integer, got ${maxRetries}`);
    }
    this.#options = { ...options };
    this.log = levelLogger(options.logLevel, options.logger);
  }

  /** The base URL calls are sent to. */
  get baseURL(): string {
    return this.#options.baseURL;
  }

  /**
   * The retries and timeouts a call gets when it sets none: the transport's options, else the SDK's
   * defaults. For layers that span several calls, such as a stream that reconnects.
   */
  get callDefaults(): Required<{ [K in keyof CallOptions]: number }> {
    const options = this.#options;
    return {
      maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
      timeout: options.timeout ?? DEFAULT_TIMEOUT_MS,
      idleTimeout: options.idleTimeout ?? DEFAULT_IDLE_TIMEOUT_MS,
      totalTimeout: options.totalTimeout ?? DEFAULT_TOTAL_TIMEOUT_MS,
    };
  }

  /** Whether the client sends with its own `fetch` (which an upload's progress must then go through). */
  get hasOwnFetch(): boolean {
    return this.#options.fetch !== undefined;
  }

  /** A stream's deadline when its call sets none: the client's `totalTimeout`, else none. */
  get streamTotalTimeout(): number {
    return this.#options.totalTimeout ?? 0;
  }

  /**
   * Sends a call and parses its JSON response (`undefined` for 204 or an empty body), validated by
   * `schema` when one is given. Non-2xx responses reject with the `APIError` subclass for the status.
   */
  request<Schema extends StandardSchemaV1>(
    options: SchemaRequestOptions<Schema>,
  ): APIPromise<StandardSchemaV1InferOutput<Schema>>;
  request<T = unknown>(options: RequestOptions): APIPromise<T>;
  request(options: RequestOptions & { schema?: StandardSchemaV1 }): APIPromise<unknown> {
    return new APIPromise(this.call(options));
  }

  /**
   * Sends a call and resolves once its response headers are in, with its body unread: what
   * {@link Transport.request} wraps in an `APIPromise`, for promises of their own kind such as a paged
   * list (`requestPage` in `pagination.ts`).
   */
  call(options: RequestOptions & { schema?: StandardSchemaV1 }): Promise<RawCall<unknown>> {
    return this.#send(options, 'application/json').then(({ response, scope }) => ({
      response,
      parse: () => this.#parse(response, scope, options.schema),
      unread: () => unreadResponse(response, scope),
    }));
  }

  async #parse(response: Response, scope: CallScope, schema: StandardSchemaV1 | undefined): Promise<unknown> {
    const request = scope.request;
    try {
      const text = await readText(response, scope);
      // `undefined` for an empty body, such as a 204's.
      let value: unknown;
      try {
        if (text !== '') value = JSON.parse(text);
      } catch (cause) {
        throw new ResponseValidationError(
          `The response to ${request.method} ${request.path} is not valid JSON`,
          { ...request, cause },
        );
      }
      return await this.#validate(value, schema, request);
    } finally {
      scope.dispose();
    }
  }

  /**
   * Sends a call and returns the `Response` of its successful attempt, body unread, for downloads and
   * other non-JSON bodies. Retries, authentication and errors work as in {@link Transport.request}; the
   * total deadline keeps running until the body has been read or cancelled. The result is a new
   * `Response` with the status, status text and headers of the real one (its `url` is not kept).
   */
  async requestRaw(options: RequestOptions): Promise<Response> {
    const { response, scope } = await this.#send(options, undefined);
    return unreadResponse(response, scope);
  }

  /**
   * Sends a call that answers with server-sent events and returns a {@link Stream} of decoded items once
   * the headers are in, as an {@link APIPromise}: `.withResponse()` gives the stream with the `Response`
   * and the request id, `.asResponse()` the `Response` with its event stream unread. Messages `decode` does not recognise come through as `UnknownSSEEvent`. The
   * idle timeout applies between events; the total deadline runs until the stream ends, so read the
   * stream or `abort()` it.
   *
   * @example
   * ```ts
   * const stream = await transport.stream({
   *   method: 'POST',
   *   path: '/chatkit',
   *   body: { type: 'threads.create', params },
   *   decode: ({ data }) => {
   *     const event = ThreadStreamEvent.safeParse(JSON.parse(data));
   *     return event.success ? event.data : undefined;
   *   },
   * });
   * ```
   */
  stream<T>(options: StreamRequestOptions<T>): APIPromise<Stream<T | UnknownSSEEvent>> {
    const raw = this.#send(options, 'text/event-stream', true).then(
      ({ response, scope }): RawCall<Stream<T | UnknownSSEEvent>> => ({
        response,
        parse: async () => this.#openStream(response, scope, options),
        unread: () => unreadResponse(response, scope),
      }),
    );
    return new APIPromise(raw);
  }

  /** The {@link Stream} of an event-stream response whose headers are in. */
  #openStream<T>(
    response: Response,
    scope: CallScope,
    options: StreamRequestOptions<T>,
  ): Stream<T | UnknownSSEEvent> {
    const type = response.headers.get('content-type');
    // Anything else would parse as an empty stream, hiding the server's answer.
    if (type !== null && !type.toLowerCase().includes('text/event-stream')) {
      scope.abort(new StreamError(`Expected an event stream, got ${type}${inCall(options)}`, scope.request));
      scope.dispose();
      throw scope.signal.reason;
    }
    return Stream.fromSSEResponse(response, {
      decode: options.decode,
      controller: scope.controller,
      idleTimeout: options.idleTimeout ?? this.#options.idleTimeout ?? DEFAULT_IDLE_TIMEOUT_MS,
      request: scope.request,
      onClose: () => scope.dispose(),
    });
  }

  /**
   * Runs the attempts of one call until one succeeds (its scope is then left open for the body) or the
   * call fails (its scope is disposed).
   */
  async #send(
    options: RequestOptions,
    accept: string | undefined,
    streaming = false,
  ): Promise<{ response: Response; scope: CallScope }> {
    const defaults = this.#options;
    const request: RequestDescription = { method: options.method, path: options.path };
    const scope = new CallScope(request, {
      signal: options.signal,
      // A stream is bounded by its idle timeout: a healthy reply may run as long as it keeps talking.
      totalTimeout:
        options.totalTimeout ?? defaults.totalTimeout ?? (streaming ? 0 : DEFAULT_TOTAL_TIMEOUT_MS),
    });
    const startedAt = Date.now();
    try {
      const response = await this.#attempts(options, accept, scope);
      this.log.info(`${request.method} ${request.path} ${response.status}`, {
        status: response.status,
        durationMs: Date.now() - startedAt,
        requestId: response.headers.get('x-request-id'),
      });
      return { response, scope };
    } catch (error) {
      scope.dispose();
      this.log.error(`${request.method} ${request.path} failed`, {
        durationMs: Date.now() - startedAt,
        error: error instanceof Error ? error.message : String(error),
        ...(error instanceof APIError ? { status: error.status, requestId: error.requestId ?? null } : {}),
      });
      throw error;
    }
  }

  async #attempts(options: RequestOptions, accept: string | undefined, scope: CallScope): Promise<Response> {
    const defaults = this.#options;
    const maxRetries = options.maxRetries ?? defaults.maxRetries ?? DEFAULT_MAX_RETRIES;
    const timeout = options.timeout ?? defaults.timeout ?? DEFAULT_TIMEOUT_MS;
    let idempotencyKey = mergeHeaders(options.headers).get('idempotency-key') ?? undefined;
    if (idempotencyKey === undefined && options.method === 'POST' && options.idempotencyKey !== false) {
      idempotencyKey = options.idempotencyKey || createIdempotencyKey();
    }
    const { body } = options;
    // A body that can be read only once cannot be sent again.
    const replayable = !(typeof ReadableStream !== 'undefined' && body instanceof ReadableStream);
    // POST and PATCH only with an idempotency key, which the server uses to answer a repeat.
    const methods = idempotencyKey ? [...idempotentMethods, options.method] : idempotentMethods;
    const request = scope.request;
    /** Attempts sent so far, and retries among them (a 401's new token is not a retry). */
    let sent = 0;
    let retries = 0;
    /** What ky is about to retry, and the wait its response asks for, from `shouldRetry`. */
    let pending: { failure: unknown; serverWait: number | undefined } | undefined;

    /** The headers of the next attempt: the token asked anew, and the count of attempts before it. */
    const headersFor = async (force: boolean) =>
      mergeHeaders(
        defaults.defaultHeaders,
        accept ? { accept } : undefined,
        await this.#authorization(force),
        idempotencyKey ? { 'idempotency-key': idempotencyKey } : undefined,
        sent > 0 ? { [RETRY_COUNT_HEADER]: String(sent) } : undefined,
        options.headers,
      );

    /** What the runtime's fetch throws is a lost connection, unless the call was aborted. */
    const fetch: FetchLike = (input, init) =>
      (options.fetch ?? defaults.fetch ?? globalThis.fetch)(input, init).catch((error: unknown) => {
        throw scope.signal.aborted || isCartritaError(error)
          ? error
          : APIConnectionError.forRequest(request, error);
      });

    /**
     * Starts one ky call: its first attempt with a token asked with `force`, and up to `limit`
     * retries. Wrapped, so that what `ky()` throws before sending anything (a bad URL, a body it
     * cannot serialise) reaches the caller as it is.
     */
    const start = async (force: boolean, limit: number): Promise<{ response: Promise<Response> }> => {
      const headers = await headersFor(force);
      sent++;
      // The backoff goes on from the retries an earlier call made.
      const before = retries;
      const response = ky(options.path, {
        ...defaults.fetchOptions,
        ...options.fetchOptions,
        method: options.method,
        searchParams: toSearchParams(options.query),
        // ky leaves out a `json` that is `undefined`.
        ...(isBodyInit(body) ? { body } : { json: body }),
        // An absolute path (a download URL the server handed out) is used as it is.
        prefix: /^[a-z][a-z\d+.-]*:/i.test(options.path) ? undefined : defaults.baseURL,
        fetch,
        headers,
        signal: scope.signal,
        timeout: isActiveTimeout(timeout) ? timeout : false,
        retry: {
          limit: replayable ? limit : 0,
          methods: methods.map((method) => method.toLowerCase() as NonNullable<KyOptions['method']>),
          statusCodes: [...retryableStatuses],
          // ky would wait out `Retry-After` with no word before; the server's wait is read below.
          afterStatusCodes: [],
          retryOnTimeout: true,
          delay: (attempt) => backoffDelay(before + attempt - 1),
          shouldRetry: ({ error }) => {
            const failure = this.#failure(error, scope, timeout);
            const serverWait = failure instanceof APIError ? parseRetryAfter(failure.headers) : undefined;
            pending = { failure, serverWait };
            if (scope.signal.aborted) return false;
            // The server may say whether a failure is worth a retry, whatever its status.
            const shouldRetry = failure instanceof APIError ? failure.headers.get('x-should-retry') : null;
            if (shouldRetry === 'true' && replayable) return true;
            if (shouldRetry === 'false') return false;
            // Statuses and timeouts go through ky's own checks; a lost connection is always retried.
            return failure instanceof APIConnectionError ? true : undefined;
          },
          // The last thing ky asks before it waits: the wait itself. The server's, when it named one;
          // else the backoff, jittered. A wait that would outlive the total deadline cannot end well,
          // so the call ends now, with the failure it would retry (aborting ends ky's wait at once);
          // otherwise `onRetry` hears of the wait before it starts.
          jitter: (backoff) => {
            const delayMs = pending?.serverWait ?? jitter(backoff);
            if (delayMs >= scope.remaining) scope.abort(pending?.failure);
            else {
              retries++;
              this.log.warn(`${request.method} ${request.path}: retry ${retries} in ${delayMs} ms`, {
                retry: retries,
                delayMs,
                error: pending?.failure instanceof Error ? pending.failure.message : String(pending?.failure),
              });
              defaults.onRetry?.({ ...request, retry: retries, delayMs, error: pending?.failure });
            }
            return delayMs;
          },
        },
        hooks: {
          beforeRequest: [
            ...(defaults.hooks?.beforeRequest ?? []),
            // Redacting costs something on every call: only when debug lines are written.
            ...(this.log.enabled('debug')
              ? [
                  ({ request: sending }: { request: Request }) => {
                    this.log.debug(`${sending.method} ${redactUrl(sending.url)}`, {
                      headers: redactHeaders(sending.headers),
                    });
                  },
                ]
              : []),
          ],
          afterResponse: [...(defaults.hooks?.afterResponse ?? [])],
          beforeRetry: [
            async ({ request: retry }) => {
              const next = await headersFor(false);
              sent++;
              for (const name of ['authorization', RETRY_COUNT_HEADER]) {
                const value = next.get(name);
                if (value === null) retry.headers.delete(name);
                else retry.headers.set(name, value);
              }
            },
          ],
        },
      });
      return { response };
    };

    const first = await start(false, maxRetries);
    let failure: unknown;
    try {
      return await first.response;
    } catch (error) {
      failure = this.#failure(error, scope, timeout);
    }
    // A 401 with a token hook: the token may just have expired, so mint a new one and send again,
    // once, without spending a retry (ky counts every repeat against its limit).
    const unauthorized = failure instanceof APIError && failure.status === 401;
    if (!unauthorized || !defaults.getAuthToken || !replayable) throw failure;
    const second = await start(true, maxRetries - retries);
    try {
      return await second.response;
    } catch (error) {
      throw this.#failure(error, scope, timeout);
    }
  }

  /**
   * The bearer token a call would send now: `getAuthToken`'s (asked with `context`), else `apiKey`,
   * else `undefined`. For connections the transport does not make itself, such as the `/ws/chat`
   * WebSocket, so they authenticate exactly as HTTP calls do.
   */
  async authToken(context: AuthTokenContext = { force: false }): Promise<string | undefined> {
    const { getAuthToken, apiKey } = this.#options;
    return (getAuthToken ? await getAuthToken(context) : undefined) ?? apiKey;
  }

  /** The Authorization header for one attempt: the hook's token, else the API key. */
  async #authorization(force: boolean): Promise<Record<string, string> | undefined> {
    const token = await this.authToken({ force });
    return token ? { authorization: `Bearer ${token}` } : undefined;
  }

  /**
   * The Cartrita error for what ended a ky call: the call's abort reason once it is aborted, the
   * `APIError` of a status, or a headers timeout (ky's per-attempt `timeout`). Lost connections are
   * already `APIConnectionError`s (see `fetch` above); anything else, such as a failing
   * `getAuthToken`, stays as it is.
   */
  #failure(error: unknown, scope: CallScope, timeout: number): unknown {
    if (scope.signal.aborted) return scope.signal.reason;
    if (isHTTPError(error)) return statusError(scope.request, error.response, error.data);
    if (isTimeoutError(error)) {
      return new APITimeoutError({ ...scope.request, kind: 'headers', timeoutMs: timeout });
    }
    return error;
  }

  async #validate(
    value: unknown,
    schema: StandardSchemaV1 | undefined,
    request: RequestDescription,
  ): Promise<unknown> {
    if (!schema) return value;
    const result = await schema['~standard'].validate(value);
    if (!result.issues) return result.value;
    const issues = result.issues;
    const summary = issues
      .slice(0, 3)
      .map((issue) => {
        const at = formatIssuePath(issue);
        return at ? `${at}: ${issue.message}` : issue.message;
      })
      .join('; ');
    const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
    throw new ResponseValidationError(
      `The response to ${request.method} ${request.path} did not match the expected schema: ${summary}${more}`,
      { ...request, issues },
    );
  }
}
