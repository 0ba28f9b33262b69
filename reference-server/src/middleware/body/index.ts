/** @module The `body` middleware: JSON request bodies with a size limit and a content-type check. */
import express, { type NextFunction, type Request, type Response } from 'express';
import { parseByteSize } from '../../config/byte-size.js';
import { fromBodyParserError, HttpError } from '../../http-error.js';

/** Options of {@link jsonBody}. */
export interface JsonBodyOptions {
  /** The largest accepted body, as bytes or a size such as `1mb` (the default). */
  limit?: number | string;
  /**
   * Requests to leave alone, such as multipart uploads: they get neither parsing nor the
   * content-type check. Mounting `jsonBody()` only on JSON routes has the same effect.
   */
  skip?: (req: Request) => boolean;
}

/** Content types parsed as JSON. */
const jsonTypes = ['application/json', 'application/*+json'];

/** Methods whose body, when present, must be JSON. */
const checkedMethods = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Parses JSON bodies into `req.body`. A body that is not valid JSON is a 400 `BAD_REQUEST` naming the
 * position of the fault; one over the limit is a 413 `PAYLOAD_TOO_LARGE`; a POST, PUT or PATCH whose
 * body is not declared as JSON is a 415 `UNSUPPORTED_MEDIA_TYPE`. A request without a body passes
 * with `req.body` undefined.
 *
 * @example
 * app.use(jsonBody({ limit: config.http.bodyLimitBytes, skip: (req) => req.is('multipart/form-data') === 'multipart/form-data' }));
 */
export const jsonBody = (options: JsonBodyOptions = {}) => {
  const limitText = options.limit ?? '1mb';
  const limit = parseByteSize(limitText);
  if (limit === undefined) throw new TypeError(`jsonBody: limit ${JSON.stringify(limitText)} is not a size`);
  if (options.skip !== undefined && typeof options.skip !== 'function') {
    throw new TypeError('jsonBody: skip must be a function');
  }
  const skip = options.skip;
  const shown = typeof limitText === 'number' ? `${limitText} bytes` : limitText;
  const parse = express.json({ limit, type: jsonTypes, strict: true });

  return function jsonBody(req: Request, res: Response, next: NextFunction): void {
    if (skip?.(req)) {
      next();
      return;
    }
    if (checkedMethods.has(req.method) && hasContent(req) && !req.is(jsonTypes)) {
      const type = req.get('Content-Type');
      next(
        new HttpError(
          'UNSUPPORTED_MEDIA_TYPE',
          `Content-Type must be application/json (got ${type === undefined ? 'none' : type.split(';')[0]})`,
          { details: { accepted: ['application/json'] } },
        ),
      );
      return;
    }
    parse(req, res, (error?: unknown) => {
      if (error === undefined) {
        next();
        return;
      }
      const mapped = fromBodyParserError(error);
      if (mapped?.code === 'PAYLOAD_TOO_LARGE') {
        next(
          new HttpError('PAYLOAD_TOO_LARGE', `Request body is larger than the ${shown} limit`, {
            details: { limit },
            cause: error,
          }),
        );
        return;
      }
      next(mapped ?? error);
    });
  };
};

/** Whether a request carries body bytes (`Content-Length: 0` does not count, unlike in `req.is`). */
const hasContent = (req: Request): boolean => {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = Number(req.headers['content-length']);
  return Number.isFinite(length) && length > 0;
};
