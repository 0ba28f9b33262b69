/** @module The `body` middleware: request bodies by kind, with size limits enforced before reading. */

import { parseJson } from '@cartrita/engine';
import type { NextFunction, Request, Response } from 'express';
import getRawBody from 'raw-body';
import { parseByteSize } from '../../config/byte-size.js';
import { fromBodyParserError, HttpError } from '../../http-error.js';

/** Options of {@link jsonBody}. */
export interface JsonBodyOptions {
  /** The largest accepted body, as bytes or a size such as `1mb` (the default). */
  limit?: number | string;
  /** The deepest nesting of objects and arrays; default 64. */
  maxDepth?: number;
  /** Requests to leave alone: they get neither parsing nor the content-type check. */
  skip?: (req: Request) => boolean;
}

/** Options of {@link multipartBody} and {@link declaredLength}. */
export interface BodyLimitOptions {
  /** The largest accepted body, as bytes or a size such as `1mb`. */
  limit: number | string;
}

/** Content types parsed as JSON. */
const jsonTypes = ['application/json', 'application/*+json'];

/** Methods whose body, when present, must be of the route's kind. */
const checkedMethods = new Set(['POST', 'PUT', 'PATCH']);

const limitOf = (name: string, value: number | string): { bytes: number; shown: string } => {
  const bytes = parseByteSize(value);
  if (bytes === undefined) throw new TypeError(`${name}: limit ${JSON.stringify(value)} is not a size`);
  return { bytes, shown: typeof value === 'number' ? `${value} bytes` : value };
};

const tooLarge = (shown: string, limit: number, cause?: unknown) =>
  new HttpError('PAYLOAD_TOO_LARGE', `Request body is larger than the ${shown} limit`, {
    details: { limit },
    ...(cause === undefined ? {} : { cause }),
  });

/** The `Content-Length` a request declares, or `undefined` when it declares none. */
const declared = (req: Request): number | undefined => {
  const value = req.headers['content-length'];
  if (value === undefined) return undefined;
  const length = Number(value);
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
};

/** Whether a request carries body bytes (`Content-Length: 0` does not count, unlike in `req.is`). */
const hasContent = (req: Request): boolean =>
  req.headers['transfer-encoding'] !== undefined || (declared(req) ?? 0) > 0;

/**
 * Refuses a request whose declared `Content-Length` is over `limit` with 413 `PAYLOAD_TOO_LARGE` at
 * once, before a byte of the body is read (the error handler then closes the connection rather than
 * wait for gigabytes that were only announced). Mount it first on a route.
 *
 * @example
 * app.post('/api/chat', declaredLength({ limit: '1mb' }), ...);
 */
export const declaredLength = (options: BodyLimitOptions) => {
  const { bytes, shown } = limitOf('declaredLength', options?.limit);
  return function declaredLength(req: Request, _res: Response, next: NextFunction): void {
    const length = declared(req);
    next(length !== undefined && length > bytes ? tooLarge(shown, bytes) : undefined);
  };
};

const charsetOf = (type: string): string | undefined =>
  /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(type)?.[1]?.toLowerCase();

/**
 * Reads a JSON body into `req.body`, with no other parser involved, so its limits hold whatever the
 * route: a declared length over the limit is a 413 before reading, a streamed body is cut off at the
 * limit (413), a compressed body or a charset other than UTF-8 is a 415, a body that is not JSON or
 * nests deeper than `maxDepth` is a 400 naming why, and a POST, PUT or PATCH body of another type
 * is a 415 `UNSUPPORTED_MEDIA_TYPE`. A request without a body passes with `req.body` undefined.
 *
 * @example
 * app.post('/api/chat', jsonBody({ limit: config.http.bodyLimitBytes }), handler);
 */
export const jsonBody = (options: JsonBodyOptions = {}) => {
  const { bytes: limit, shown } = limitOf('jsonBody', options.limit ?? '1mb');
  if (options.skip !== undefined && typeof options.skip !== 'function') {
    throw new TypeError('jsonBody: skip must be a function');
  }
  const { skip, maxDepth } = options;

  return async function jsonBody(req: Request, _res: Response, next: NextFunction): Promise<void> {
    if (skip?.(req) || !hasContent(req)) {
      next();
      return;
    }
    const length = declared(req);
    if (length !== undefined && length > limit) {
      next(tooLarge(shown, limit));
      return;
    }
    if (!req.is(jsonTypes)) {
      // A body on GET or DELETE is not ours to judge; it is left unread.
      if (!checkedMethods.has(req.method)) {
        next();
        return;
      }
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
    const charset = charsetOf(req.get('Content-Type') ?? '') ?? 'utf-8';
    if (charset !== 'utf-8' && charset !== 'utf8') {
      next(new HttpError('UNSUPPORTED_MEDIA_TYPE', `Unsupported request body charset "${charset}"`));
      return;
    }
    const encoding = (req.get('Content-Encoding') ?? 'identity').trim().toLowerCase();
    if (encoding !== 'identity') {
      next(
        new HttpError('UNSUPPORTED_MEDIA_TYPE', `Unsupported request body content encoding "${encoding}"`),
      );
      return;
    }
    let text: string;
    try {
      text = await getRawBody(req, { limit, encoding: 'utf-8', ...(length === undefined ? {} : { length }) });
    } catch (error) {
      const mapped = fromBodyParserError(error);
      next(mapped?.code === 'PAYLOAD_TOO_LARGE' ? tooLarge(shown, limit, error) : (mapped ?? error));
      return;
    }
    try {
      req.body = parseJson(text, { strict: true, ...(maxDepth === undefined ? {} : { maxDepth }) });
    } catch (error) {
      next(error);
      return;
    }
    next();
  };
};

/**
 * Checks a multipart route's request before the route streams it: a declared length over `limit`
 * is a 413, and a body that is not `multipart/form-data` is a 415. The body itself is left for the
 * route to stream.
 *
 * @example
 * app.post('/chatkit/attachments', multipartBody({ limit: maxUpload + 64 * 1024 }), upload);
 */
export const multipartBody = (options: BodyLimitOptions) => {
  const { bytes: limit, shown } = limitOf('multipartBody', options?.limit);
  return function multipartBody(req: Request, _res: Response, next: NextFunction): void {
    const length = declared(req);
    if (length !== undefined && length > limit) {
      next(tooLarge(shown, limit));
      return;
    }
    const type = req.get('Content-Type');
    if (hasContent(req) && req.is('multipart/form-data') !== 'multipart/form-data') {
      next(
        new HttpError(
          'UNSUPPORTED_MEDIA_TYPE',
          `Content-Type must be multipart/form-data (got ${type === undefined ? 'none' : type.split(';')[0]})`,
          { details: { accepted: ['multipart/form-data'] } },
        ),
      );
      return;
    }
    next();
  };
};
