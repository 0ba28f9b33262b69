import { parseRetryAfter } from './headers.js';

/**
 * The brand every Cartrita error carries, under `Symbol.for('cartrita.error')`. Its value is the list of
 * class kinds from the root down (`['CartritaError', 'APIError', 'NotFoundError']`), so the guards below
 * recognise errors thrown by another copy of this package, where `instanceof` would fail.
 */
export const ERROR_BRAND: unique symbol = Symbol.for('cartrita.error');

/** The names the brand may hold, one per error class. */
export type CartritaErrorKind =
  | 'CartritaError'
  | 'APIError'
  | 'BadRequestError'
  | 'AuthenticationError'
  | 'PermissionDeniedError'
  | 'NotFoundError'
  | 'ConflictError'
  | 'UnprocessableEntityError'
  | 'RateLimitError'
  | 'InternalServerError'
  | 'APIConnectionError'
  | 'APITimeoutError'
  | 'APIUserAbortError'
  | 'StreamError'
  | 'ResponseValidationError'
  | 'RealtimeError'
  | 'ClientSecretExpiredError';

/** The method and path of the call an error belongs to, as they appear in its message. */
export interface RequestDescription {
  /** Upper-case HTTP method, `GET`. */
  method: string;
  /** Path relative to the base URL, `/api/sessions/sess_1`. */
  path: string;
}

/** Options shared by every Cartrita error constructor. */
export interface CartritaErrorOptions extends Partial<RequestDescription> {
  /** The underlying error, kept as the standard `cause`. */
  cause?: unknown;
}

/** `: GET /api/x`, the call an error message names, or nothing when the error belongs to no call. */
export const inCall = (request: Partial<RequestDescription> | undefined): string =>
  request?.method && request.path ? `: ${request.method} ${request.path}` : '';

type ErrorClass = { kind: CartritaErrorKind } & (abstract new (...args: never[]) => unknown);

/**
 * Root of every error the SDK throws. Catch this to handle anything Cartrita-specific; use the guards
 * ({@link isCartritaError}, {@link isAPIError}, ...) rather than `instanceof` when two copies of the
 * package may be loaded.
 */
export class CartritaError extends Error {
  /** The class kind written into the brand; each subclass declares its own. */
  static readonly kind: CartritaErrorKind = 'CartritaError';

  /** Upper-case HTTP method of the call that failed, when the error belongs to one. */
  readonly method: string | undefined;
  /** Path of the call that failed, when the error belongs to one. */
  readonly path: string | undefined;
  declare readonly [ERROR_BRAND]: readonly CartritaErrorKind[];

  constructor(message: string, options: CartritaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.method = options.method;
    this.path = options.path;
    const kinds: CartritaErrorKind[] = [];
    for (let type: unknown = new.target; typeof type === 'function'; type = Object.getPrototypeOf(type)) {
      if (Object.hasOwn(type, 'kind')) kinds.unshift((type as ErrorClass).kind);
    }
    // Non-enumerable so that logging an error or spreading it does not show the brand.
    Object.defineProperty(this, ERROR_BRAND, { value: Object.freeze(kinds) });
    this.name = kinds.at(-1) ?? 'CartritaError';
  }
}

/** What {@link APIError.from} needs to build the right error for a non-2xx response. */
export interface APIErrorInit extends RequestDescription {
  /** HTTP status of the response. */
  status: number;
  /** Response headers. */
  headers: Headers;
  /** The parsed JSON body, its text when it was not JSON, or `undefined` when empty. */
  body: unknown;
}

/** The error envelope the Cartrita server sends with every non-2xx response. */
export interface ErrorEnvelope {
  error: { code?: string; type?: string; message?: string; details?: unknown };
  timestamp?: string;
  request_id?: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const stringOrUndefined = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * The server answered with a non-2xx status. Thrown as one of the status subclasses when there is one
 * (`NotFoundError`, `RateLimitError`, ...), otherwise as `APIError` itself.
 *
 * @example
 * ```ts
 * try {
 *   await client.sessions.retrieve('sess_1');
 * } catch (error) {
 *   if (isAPIError(error) && error.status === 404) console.log(error.code); // 'SESSION_NOT_FOUND'
 * }
 * ```
 */
export class APIError extends CartritaError {
  static override readonly kind: CartritaErrorKind = 'APIError';

  /** HTTP status of the response. */
  readonly status: number;
  /** The envelope's `error.code`, such as `SESSION_NOT_FOUND`. */
  readonly code: string | undefined;
  /** The envelope's `error.type`, such as `NotFoundError` or `SessionCreationError`. */
  readonly type: string | undefined;
  /** The server's message from the envelope, without the method and path. */
  readonly serverMessage: string | undefined;
  /** The envelope's `error.details`, such as the failing fields of a 422. */
  readonly details: unknown;
  /** The envelope's `request_id`, or the `X-Request-Id` response header; quote it in bug reports. */
  readonly requestId: string | undefined;
  /** Response headers. */
  readonly headers: Headers;
  /** The parsed JSON body, its text when it was not JSON, or `undefined` when empty. */
  readonly body: unknown;

  constructor(init: APIErrorInit) {
    const envelope = isRecord(init.body) ? init.body : undefined;
    const error = envelope && isRecord(envelope.error) ? envelope.error : undefined;
    const serverMessage =
      stringOrUndefined(error?.message) ??
      stringOrUndefined(envelope?.error) ??
      stringOrUndefined(envelope?.message) ??
      stringOrUndefined(envelope?.detail);
    const code = stringOrUndefined(error?.code);
    const suffix = serverMessage === undefined ? '' : ` (${code ? `${code}: ` : ''}${serverMessage})`;
    super(`Request failed with status ${init.status}: ${init.method} ${init.path}${suffix}`, init);
    this.status = init.status;
    this.code = code;
    this.type = stringOrUndefined(error?.type);
    this.serverMessage = serverMessage;
    this.details = error?.details;
    this.requestId = stringOrUndefined(envelope?.request_id) ?? init.headers.get('x-request-id') ?? undefined;
    this.headers = init.headers;
    this.body = init.body;
  }

  /**
   * Builds the error class that matches the status: 400 {@link BadRequestError}, 401
   * {@link AuthenticationError}, 403 {@link PermissionDeniedError}, 404 {@link NotFoundError}, 409
   * {@link ConflictError}, 422 {@link UnprocessableEntityError}, 429 {@link RateLimitError}, 5xx
   * {@link InternalServerError}, anything else `APIError`.
   */
  static from(init: APIErrorInit): APIError {
    const { status } = init;
    if (status === 400) return new BadRequestError(init);
    if (status === 401) return new AuthenticationError(init);
    if (status === 403) return new PermissionDeniedError(init);
    if (status === 404) return new NotFoundError(init);
    if (status === 409) return new ConflictError(init);
    if (status === 422) return new UnprocessableEntityError(init);
    if (status === 429) return new RateLimitError(init);
    if (status >= 500) return new InternalServerError(init);
    return new APIError(init);
  }
}

/** 400: the request was malformed (bad JSON, a missing multipart field). */
export class BadRequestError extends APIError {
  static override readonly kind: CartritaErrorKind = 'BadRequestError';
}

/** 401: credentials are missing, invalid or expired. */
export class AuthenticationError extends APIError {
  static override readonly kind: CartritaErrorKind = 'AuthenticationError';
}

/** 403: the credentials are valid but lack the scope this route needs. */
export class PermissionDeniedError extends APIError {
  static override readonly kind: CartritaErrorKind = 'PermissionDeniedError';
}

/** 404: the route or the resource does not exist. */
export class NotFoundError extends APIError {
  static override readonly kind: CartritaErrorKind = 'NotFoundError';
}

/** 409: the request conflicts with the resource's state, or its idempotency key is in use. */
export class ConflictError extends APIError {
  static override readonly kind: CartritaErrorKind = 'ConflictError';
}

/** 422: the body or query failed validation; `details` names the failing fields. */
export class UnprocessableEntityError extends APIError {
  static override readonly kind: CartritaErrorKind = 'UnprocessableEntityError';
}

/** 429: rate limited. Thrown once the retries are spent (or when the call may not be retried). */
export class RateLimitError extends APIError {
  static override readonly kind: CartritaErrorKind = 'RateLimitError';

  /** How long the server asked to wait, from `retry-after-ms` or `Retry-After`, when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(init: APIErrorInit) {
    super(init);
    this.retryAfterMs = parseRetryAfter(init.headers);
  }
}

/** 5xx: the server failed. */
export class InternalServerError extends APIError {
  static override readonly kind: CartritaErrorKind = 'InternalServerError';
}

/**
 * No response arrived: the connection was refused, reset or dropped (also mid-stream). The network
 * error is kept as `cause`.
 */
export class APIConnectionError extends CartritaError {
  static override readonly kind: CartritaErrorKind = 'APIConnectionError';

  /** The standard message for a call that failed to connect. */
  static forRequest(request: RequestDescription, cause: unknown): APIConnectionError {
    return new APIConnectionError(`Could not reach the server${inCall(request)}`, {
      ...request,
      cause,
    });
  }
}

/**
 * Which of the three deadlines expired: `headers` (time to response headers, per attempt), `idle`
 * (no SSE event for too long) or `total` (the whole call, retries and body included).
 */
export type TimeoutKind = 'headers' | 'idle' | 'total';

/** Options of {@link APITimeoutError}. */
export interface APITimeoutErrorOptions extends CartritaErrorOptions {
  /** The deadline that expired. */
  kind: TimeoutKind;
  /** Its length in milliseconds. */
  timeoutMs: number;
}

const timeoutWhat: Record<TimeoutKind, string> = {
  headers: 'while waiting for response headers',
  idle: 'without receiving a stream event',
  total: 'before the call completed',
};

/** A deadline expired; `kind` says which one. */
export class APITimeoutError extends CartritaError {
  static override readonly kind: CartritaErrorKind = 'APITimeoutError';

  /** The deadline that expired. */
  readonly kind: TimeoutKind;
  /** Its length in milliseconds. */
  readonly timeoutMs: number;

  constructor(options: APITimeoutErrorOptions) {
    super(`Timed out after ${options.timeoutMs} ms ${timeoutWhat[options.kind]}${inCall(options)}`, options);
    this.kind = options.kind;
    this.timeoutMs = options.timeoutMs;
  }
}

/** The caller aborted the call through its `signal` (or `stream.abort()` during a retry wait). */
export class APIUserAbortError extends CartritaError {
  static override readonly kind: CartritaErrorKind = 'APIUserAbortError';

  constructor(options: CartritaErrorOptions = {}) {
    super(`Request was aborted${inCall(options)}`, options);
  }
}

/**
 * A stream failed after it started: it ended in the middle of an event, an event could not be decoded,
 * or it was iterated twice.
 */
export class StreamError extends CartritaError {
  static override readonly kind: CartritaErrorKind = 'StreamError';
}

/** One problem found by a response schema, as Standard Schema reports it. */
export interface ValidationIssue {
  /** What is wrong. */
  readonly message: string;
  /** Where, as a list of keys from the root of the body. */
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/** Options of {@link ResponseValidationError}. */
export interface ResponseValidationErrorOptions extends CartritaErrorOptions {
  /** The problems the schema found; empty when the body was not JSON at all. */
  issues?: readonly ValidationIssue[];
}

/** A 2xx response body was not JSON, or did not match the schema the call expected. */
export class ResponseValidationError extends CartritaError {
  static override readonly kind: CartritaErrorKind = 'ResponseValidationError';

  /** The problems the schema found; empty when the body was not JSON at all. */
  readonly issues: readonly ValidationIssue[];

  constructor(message: string, options: ResponseValidationErrorOptions = {}) {
    super(message, options);
    this.issues = options.issues ?? [];
  }
}

const hasKind = (value: unknown, kind: CartritaErrorKind): boolean => {
  if (typeof value !== 'object' || value === null) return false;
  const brand: unknown = (value as { [ERROR_BRAND]?: unknown })[ERROR_BRAND];
  return Array.isArray(brand) && brand.includes(kind);
};

/** Whether `value` is any Cartrita error, from this copy of the package or another. */
export const isCartritaError = (value: unknown): value is CartritaError => hasKind(value, 'CartritaError');

/** Whether `value` is an {@link APIError} (any status), from this copy of the package or another. */
export const isAPIError = (value: unknown): value is APIError => hasKind(value, 'APIError');

/** Whether `value` is an {@link AuthenticationError} (401). */
export const isAuthenticationError = (value: unknown): value is AuthenticationError =>
  hasKind(value, 'AuthenticationError');

/** Whether `value` is a {@link NotFoundError} (404). */
export const isNotFoundError = (value: unknown): value is NotFoundError => hasKind(value, 'NotFoundError');

/** Whether `value` is a {@link RateLimitError} (429). */
export const isRateLimitError = (value: unknown): value is RateLimitError => hasKind(value, 'RateLimitError');

/** Whether `value` is an {@link APIConnectionError}. */
export const isAPIConnectionError = (value: unknown): value is APIConnectionError =>
  hasKind(value, 'APIConnectionError');

/** Whether `value` is an {@link APITimeoutError}; read `kind` to learn which deadline expired. */
export const isAPITimeoutError = (value: unknown): value is APITimeoutError =>
  hasKind(value, 'APITimeoutError');

/** Whether `value` is an {@link APIUserAbortError}. */
export const isAPIUserAbortError = (value: unknown): value is APIUserAbortError =>
  hasKind(value, 'APIUserAbortError');

/** Whether `value` is a {@link StreamError}. */
export const isStreamError = (value: unknown): value is StreamError => hasKind(value, 'StreamError');

/** Whether `value` is a {@link ResponseValidationError}. */
export const isResponseValidationError = (value: unknown): value is ResponseValidationError =>
  hasKind(value, 'ResponseValidationError');
