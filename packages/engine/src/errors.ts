/**
 * @module The one error class of Cartrita: every expected failure, in the engine, the server and the
 * mocks, is an {@link HttpError} whose code, status and message become the API's error envelope.
 */
import {
  codeForStatus,
  defaultErrorType,
  type ErrorCode,
  type ErrorEnvelope,
  errorStatus,
  type FieldIssue,
} from '@cartrita/contracts';
import { $ZodError } from 'zod/v4/core';

/** Options of {@link HttpError} beyond its code and message. */
export interface HttpErrorOptions {
  /** Extra, client-safe facts about the failure, sent as `error.details`. */
  details?: Record<string, unknown>;
  /** The PascalCase `error.type`; defaults to the code's {@link defaultErrorType}. */
  type?: string;
  /** Response headers to send with the error, such as `Retry-After` or `WWW-Authenticate`. */
  headers?: Record<string, string>;
  /** The HTTP status; defaults to the code's {@link errorStatus}. */
  status?: number;
  /** The underlying error, kept for logs and never sent to the client. */
  cause?: unknown;
}

const brand = Symbol.for('cartrita.http-error');

/** Record kinds that have their own not-found code. */
const notFoundCodes: Readonly<Record<string, ErrorCode>> = {
  session: 'SESSION_NOT_FOUND',
  engine: 'ENGINE_NOT_FOUND',
  tool: 'TOOL_NOT_FOUND',
  handler: 'HANDLER_NOT_FOUND',
  thread: 'THREAD_NOT_FOUND',
  item: 'ITEM_NOT_FOUND',
  attachment: 'ATTACHMENT_NOT_FOUND',
};

/**
 * An expected failure, which becomes the API's error envelope. The engine, the server's routes and
 * middleware, and the mocks throw it; its message is sent to the client, so it must never contain
 * secrets or internals.
 *
 * @example
 * throw new HttpError('CONFLICT', 'Persona per_1 is still used by 3 conversations', { details: { count: 3 } });
 * throw HttpError.notFound('session', 'sess_123'); // 404 SESSION_NOT_FOUND "Session sess_123 does not exist"
 */
export class HttpError extends Error {
  /** The HTTP status of the response. */
  readonly status: number;
  /** The envelope's machine-readable `error.code`. */
  readonly code: ErrorCode;
  /** The envelope's PascalCase `error.type`. */
  readonly type: string;
  /** The envelope's `error.details`. */
  readonly details: Record<string, unknown>;
  /** Headers sent with the error response. */
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, options: HttpErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HttpError';
    this.code = code;
    this.status = options.status ?? errorStatus[code];
    this.type = options.type ?? defaultErrorType[code];
    this.details = options.details ?? {};
    this.headers = options.headers ?? {};
    Object.defineProperty(this, brand, { value: true });
  }

  /**
   * A 404 for a record that does not exist, with the kind's own code where it has one
   * (`session` → `SESSION_NOT_FOUND`, `thread` → `THREAD_NOT_FOUND`, others → `NOT_FOUND`).
   */
  static notFound(kind: string, id: string): HttpError {
    const label = kind.charAt(0).toUpperCase() + kind.slice(1);
    return new HttpError(notFoundCodes[kind] ?? 'NOT_FOUND', `${label} ${id} does not exist`, {
      details: { kind, id },
    });
  }

  /** A 400 `BAD_REQUEST` for a request that cannot be understood at all. */
  static badRequest(message: string, details?: Record<string, unknown>): HttpError {
    return new HttpError('BAD_REQUEST', message, details ? { details } : {});
  }

  /** A 422 `VALIDATION_ERROR` listing the failing fields in `details.fields`. */
  static validation(fields: FieldIssue[], message = validationMessage(fields)): HttpError {
    return new HttpError('VALIDATION_ERROR', message, { details: { fields } });
  }

  /**
   * A 401 `UNAUTHORIZED` with the `WWW-Authenticate: Bearer` challenge; pass `invalidToken` when a
   * credential was sent but rejected (RFC 6750 `error="invalid_token"`).
   */
  static unauthorized(message: string, invalidToken = false): HttpError {
    const challenge = invalidToken
      ? `Bearer realm="cartrita", error="invalid_token", error_description="${quoteSafe(message)}"`
      : 'Bearer realm="cartrita"';
    return new HttpError('UNAUTHORIZED', message, { headers: { 'WWW-Authenticate': challenge } });
  }

  /** A 403 `FORBIDDEN` for valid credentials that may not do this. */
  static forbidden(message: string, details?: Record<string, unknown>): HttpError {
    return new HttpError('FORBIDDEN', message, details ? { details } : {});
  }

  /** A 409 `CONFLICT`. */
  static conflict(message: string, details?: Record<string, unknown>): HttpError {
    return new HttpError('CONFLICT', message, details ? { details } : {});
  }

  /** A 429 `RATE_LIMITED` carrying both `Retry-After` (whole seconds) and `retry-after-ms`. */
  static rateLimited(retryAfterMs: number, message = 'Too many requests; retry later'): HttpError {
    const ms = Math.max(0, Math.ceil(retryAfterMs));
    return new HttpError('RATE_LIMITED', message, {
      details: { retry_after_ms: ms },
      headers: { 'Retry-After': String(Math.ceil(ms / 1000)), 'retry-after-ms': String(ms) },
    });
  }
}

/**
 * Whether a value is an {@link HttpError}, also when it comes from another copy of this module.
 */
export const isHttpError = (value: unknown): value is HttpError =>
  typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;

/** Lists the issues of a zod error as `{path, message}` pairs, paths dotted and optionally prefixed. */
export const fieldIssuesFromZod = (error: $ZodError, prefix?: string): FieldIssue[] =>
  error.issues.map((issue) => {
    const segments = [...(prefix ? [prefix] : []), ...issue.path.map((part) => String(part))];
    return { path: segments.join('.'), message: issue.message };
  });

/**
 * Turns anything thrown into an {@link HttpError}: an `HttpError` stays as it is; a zod error becomes
 * 422 `VALIDATION_ERROR`; an http-errors style error with a 4xx `status` and `expose: true` keeps its
 * status and message; everything else is a 500 `INTERNAL_ERROR` with a generic message and the
 * original kept as `cause`.
 *
 * Also meant for SSE `error` frames and WebSocket `error` messages, so every door reports errors alike.
 */
export const toHttpError = (error: unknown): HttpError => {
  if (isHttpError(error)) return error;
  if (error instanceof $ZodError) return HttpError.validation(fieldIssuesFromZod(error));
  const status = statusOf(error);
  if (
    status !== undefined &&
    status >= 400 &&
    status < 500 &&
    (error as { expose?: unknown }).expose === true
  ) {
    const code = codeForStatus(status);
    const message = error instanceof Error && error.message ? error.message : 'Bad request';
    return new HttpError(code, message, { status, cause: error });
  }
  return new HttpError('INTERNAL_ERROR', 'An internal error occurred', { cause: error });
};

/** Builds the error envelope of `API.md` for an error. */
export const errorEnvelope = (
  error: HttpError,
  requestId?: string,
  now: Date = new Date(),
): ErrorEnvelope => ({
  error: { code: error.code, type: error.type, message: error.message, details: error.details },
  timestamp: now.toISOString(),
  ...(requestId ? { request_id: requestId } : {}),
});

const statusOf = (error: unknown): number | undefined => {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const value = typeof status === 'number' ? status : statusCode;
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
};

const validationMessage = (fields: FieldIssue[]): string => {
  const first = fields[0];
  if (!first) return 'Request validation failed';
  const more = fields.length > 1 ? ` (and ${fields.length - 1} more)` : '';
  return `Request validation failed: ${first.path || '(root)'}: ${first.message}${more}`;
};

/** Makes a message safe inside an RFC 7235 quoted-string. */
const quoteSafe = (text: string): string => text.replace(/["\\\r\n]/g, ' ');
