/** @module The `request-id` middleware: one id per request, echoed in `X-Request-Id`. */
import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/** Options of {@link requestId}. */
export interface RequestIdOptions {
  /** The request and response header; default `X-Request-Id`. */
  header?: string;
  /** Whether to reuse a safe incoming id (from a proxy or a retrying client); default true. */
  trustIncoming?: boolean;
  /** Makes a new id; default `req_` and 12 random hex characters. */
  generate?: () => string;
}

/** An incoming id is reused only when it is a short token that cannot forge log lines or headers. */
const safeId = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/** A new request id: `req_` and 12 random hexadecimal characters. */
export const generateRequestId = (): string => `req_${randomBytes(6).toString('hex')}`;

/**
 * Gives every request an id: the incoming `X-Request-Id` when it is a safe token (1-64 characters of
 * letters, digits, `.`, `_`, `:`, `-`), otherwise a new one. Sets `req.id`, `res.locals.requestId`
 * and the response header. Mount it first, so even errors from other middleware carry the id.
 *
 * @example
 * app.use(requestId());
 */
export const requestId = (options: RequestIdOptions = {}) => {
  const header = options.header ?? 'X-Request-Id';
  if (!/^[A-Za-z0-9-]+$/.test(header)) {
    throw new TypeError(`requestId: invalid header name ${JSON.stringify(header)}`);
  }
  const trustIncoming = options.trustIncoming ?? true;
  const generate = options.generate ?? generateRequestId;
  if (typeof generate !== 'function') throw new TypeError('requestId: generate must be a function');

  return function requestId(req: Request, res: Response, next: NextFunction): void {
    const incoming = req.get(header);
    const id = trustIncoming && incoming !== undefined && safeId.test(incoming) ? incoming : generate();
    req.id = id;
    res.locals.requestId = id;
    res.setHeader(header, id);
    next();
  };
};

declare global {
  namespace Express {
    interface Request {
      /** The request id set by the `requestId` middleware (mounted first, so always present in routes). */
      id: string;
    }
  }
}
