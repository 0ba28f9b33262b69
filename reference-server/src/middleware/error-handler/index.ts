/** @module The `error-handler` middleware: the one place where errors become the API's envelope. */
import type { NextFunction, Request, Response } from 'express';
import { errorEnvelope, toHttpError } from '../../http-error.js';
import { type Logger, redactUrl } from '../../logger.js';
import { generateRequestId } from '../request-id/index.js';

/** The most of a refused request's body that is read and dropped to keep its connection. */
const drainLimit = 1024 * 1024;

/**
 * Whether the rest of a refused request's body may be read and dropped (Node does so once the
 * answer is sent), keeping the connection for the client's next request. A body over the limit,
 * announced as larger than a megabyte, or of unknown length is not waited for: the connection
 * closes after the answer instead.
 */
const drainable = (req: Request, status: number): boolean => {
  if (status === 413 || req.headers['transfer-encoding'] !== undefined) return false;
  const length = Number(req.headers['content-length'] ?? 0);
  return Number.isFinite(length) && length <= drainLimit;
};

/** Options of {@link errorHandler}. */
export interface ErrorHandlerOptions {
  /** Where unexpected errors are logged; without one they go to `console.error`. */
  logger?: Pick<Logger, 'error' | 'warn' | 'debug'>;
  /** Recognises credentials in URLs beyond the shapes `redactUrl` knows, such as configured keys. */
  isSecret?: (value: string) => boolean;
}

/**
 * Turns any error into the error envelope of `API.md`:
 * `{error: {code, type, message, details}, timestamp, request_id}` (see `toHttpError` for the mapping:
 * `HttpError` as thrown, zod errors as 422 with `details.fields`, body-parser errors as 400/413/415,
 * anything else as a generic 500 that reveals nothing). Unexpected errors (500) are logged once, with
 * the request id and the original error; a deliberate 5xx (a provider that is not configured) at
 * warn, without a stack; client errors only at debug level. When the response has
 * already started (an SSE stream), it is just ended. When the request's body was not read to its
 * end and could be large, the answer closes the connection rather than wait for it. Mount it last.
 *
 * @example
 * app.use(notFound());
 * app.use(errorHandler({ logger }));
 */
export const errorHandler = (options: ErrorHandlerOptions = {}) => {
  const logger = options.logger;
  const redact = options.isSecret ? { isSecret: options.isSecret } : {};
  if (logger !== undefined && typeof logger.error !== 'function') {
    throw new TypeError('errorHandler: logger must have an error method');
  }

  return function errorHandler(err: unknown, req: Request, res: Response, _next: NextFunction): void {
    const error = toHttpError(err);
    let requestId = (res.locals.requestId as string | undefined) ?? req.id;
    if (requestId === undefined) {
      requestId = generateRequestId();
      if (!res.headersSent) res.setHeader('X-Request-Id', requestId);
    }
    const context = {
      requestId,
      method: req.method,
      url: redactUrl(req.originalUrl ?? req.url, redact),
      status: error.status,
      code: error.code,
    };
    if (error.status >= 500 && error.code === 'INTERNAL_ERROR') {
      const original = error.cause ?? err;
      if (logger) logger.error({ ...context, err: original }, 'request failed');
      else console.error(`[${requestId}] ${req.method} ${context.url} failed`, original);
    } else if (error.status >= 500) {
      // A chosen 5xx (a provider that is not configured or failed upstream) is no fault of ours.
      logger?.warn({ ...context, message: error.message }, 'request failed upstream');
    } else {
      logger?.debug({ ...context, message: error.message }, 'request rejected');
    }
    if (res.headersSent) {
      if (!res.writableEnded) res.end();
      return;
    }
    for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
    if (!req.complete && !drainable(req, error.status)) res.setHeader('Connection', 'close');
    res.status(error.status).json(errorEnvelope(error, requestId));
  };
};
