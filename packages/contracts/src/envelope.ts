import * as z from 'zod/mini';

/**
 * Machine-readable error codes carried in `error.code` of every error envelope.
 * The first group comes from the LLMGine API (seed 001); the rest are Cartrita's.
 */
export const errorCodes = [
  'VALIDATION_ERROR',
  'SESSION_NOT_FOUND',
  'ENGINE_NOT_FOUND',
  'COMMAND_EXECUTION_FAILED',
  'TOOL_NOT_FOUND',
  'HANDLER_NOT_FOUND',
  'INTERNAL_ERROR',
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'THREAD_NOT_FOUND',
  'ITEM_NOT_FOUND',
  'ATTACHMENT_NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'CONFLICT',
  'IDEMPOTENCY_CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  'PROVIDER_NOT_CONFIGURED',
  'PROVIDER_ERROR',
  'SERVICE_UNAVAILABLE',
] as const;

/** One of {@link errorCodes}. */
export type ErrorCode = (typeof errorCodes)[number];

/** Whether a string is one of the {@link errorCodes}. */
export const isErrorCode = (code: string): code is ErrorCode =>
  (errorCodes as readonly string[]).includes(code);

/** The HTTP status each error code is answered with. */
export const errorStatus: Readonly<Record<ErrorCode, number>> = {
  VALIDATION_ERROR: 422,
  SESSION_NOT_FOUND: 404,
  ENGINE_NOT_FOUND: 404,
  COMMAND_EXECUTION_FAILED: 500,
  TOOL_NOT_FOUND: 404,
  HANDLER_NOT_FOUND: 404,
  INTERNAL_ERROR: 500,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  THREAD_NOT_FOUND: 404,
  ITEM_NOT_FOUND: 404,
  ATTACHMENT_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  IDEMPOTENCY_CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  PROVIDER_NOT_CONFIGURED: 503,
  PROVIDER_ERROR: 502,
  SERVICE_UNAVAILABLE: 503,
};

const codesByStatus: Readonly<Record<number, ErrorCode>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'VALIDATION_ERROR',
  429: 'RATE_LIMITED',
  500: 'INTERNAL_ERROR',
  502: 'PROVIDER_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

/** The general error code of an HTTP status, for errors that have no more specific one. */
export const codeForStatus = (status: number): ErrorCode =>
  codesByStatus[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');

/**
 * The PascalCase error type name (seed 002) that accompanies a code when a route does not
 * choose a more specific one such as `SessionCreationError` or `ChatKitError`.
 */
export const defaultErrorType: Readonly<Record<ErrorCode, string>> = {
  VALIDATION_ERROR: 'ValidationError',
  SESSION_NOT_FOUND: 'NotFoundError',
  ENGINE_NOT_FOUND: 'NotFoundError',
  COMMAND_EXECUTION_FAILED: 'CommandExecutionError',
  TOOL_NOT_FOUND: 'NotFoundError',
  HANDLER_NOT_FOUND: 'NotFoundError',
  INTERNAL_ERROR: 'InternalError',
  BAD_REQUEST: 'BadRequestError',
  UNAUTHORIZED: 'AuthenticationError',
  FORBIDDEN: 'PermissionDeniedError',
  NOT_FOUND: 'NotFoundError',
  THREAD_NOT_FOUND: 'NotFoundError',
  ITEM_NOT_FOUND: 'NotFoundError',
  ATTACHMENT_NOT_FOUND: 'NotFoundError',
  METHOD_NOT_ALLOWED: 'MethodNotAllowedError',
  CONFLICT: 'ConflictError',
  IDEMPOTENCY_CONFLICT: 'ConflictError',
  PAYLOAD_TOO_LARGE: 'PayloadTooLargeError',
  UNSUPPORTED_MEDIA_TYPE: 'UnsupportedMediaTypeError',
  RATE_LIMITED: 'RateLimitError',
  PROVIDER_NOT_CONFIGURED: 'ConfigurationError',
  PROVIDER_ERROR: 'ProviderError',
  SERVICE_UNAVAILABLE: 'ServiceUnavailableError',
};

/** An ISO 8601 timestamp in UTC. */
export const Timestamp = z.iso.datetime({ offset: true, local: true });

/**
 * The body of every non-2xx JSON response, on every route.
 *
 * @example
 * { "error": { "code": "SESSION_NOT_FOUND", "type": "NotFoundError", "message": "Session s_1 does not exist", "details": {} },
 *   "timestamp": "2026-01-01T00:00:00.000Z", "request_id": "req_3f9a1c2b7d4e" }
 */
export const ErrorEnvelope = z.object({
  error: z.object({
    code: z.string(),
    type: z.string(),
    message: z.string(),
    details: z.optional(z.record(z.string(), z.unknown())),
  }),
  timestamp: z.string(),
  request_id: z.optional(z.string()),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;

/** One failing field of a 422 response, listed in `error.details.fields`. */
export interface FieldIssue {
  /**
   * Dotted path of the field, led by where it was: `body`, `query`, `params` (the path) or `headers`;
   * for example `body.params.input.content.0.text`.
   */
  path: string;
  message: string;
}
