/** @module The `error-handler` middleware: the one place where errors become the API's envelope. */
import type { NextFunction, Request, Response } from 'express';
import { errorEnvelope, toHttpError } from '../../http-error.js';
import { type Logger, redactUrl } from '../../logger.js';
import { generateRequestId } from '../request-id/index.js';

/** Options of {@link errorHandler}. */
export interface ErrorHandlerOptions {
  /** Where unexpected errors are logged; without one they go to `console.error`. */
  logger?: Pick<Logger, 'error' | 'debug'>;
  /** Recognises credentials in URLs beyond the shapes `redactUrl` knows, such as configured keys. */
  isSecret?: (value: string) => boolean;
}

/**
 * Turns any error into the error envelope of `API.md`:
 * `{error: {code, type, message, details}, timestamp, request_id}` (see `toHttpError` for the mapping:
 * `HttpError` as thrown, zod errors as 422 with `details.fields`, body-parser errors as 400/413/415,
 * anything else as a generic 500 that reveals nothing). Server errors (5xx) are logged once, with the
 * request id and the original error; client errors only at debug level. When the response has
 * already started (an SSE stream), it is just ended. When the request's body was not read to its
 * end, the answer closes the connection. Mount it last.
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
    if (error.status >= 500) {
      const original = error.cause ?? err;
      if (logger) logger.error({ ...context, err: original }, 'request failed');
      else console.error(`[${requestId}] ${req.method} ${context.url} failed`, original);
    } else {
      logger?.debug({ ...context, message: error.message }, 'request rejected');
    }
    if (res.headersSent) {
      if (!res.writableEnded) res.end();
      return;
    }
    for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
    // A body left unread (refused before or while reading it) is not waited for: the connection
    // closes after this answer instead of carrying what the client is still sending.
    if (!req.complete) res.setHeader('Connection', 'close');
    res.status(error.status).json(errorEnvelope(error, requestId));
  };
};
