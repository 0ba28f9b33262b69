/** @module The `host-header` middleware: HTTP/1.1 requires `Host`, answered in the envelope. */
import type { NextFunction, Request, Response } from 'express';
import { HttpError } from '../../http-error.js';

/**
 * Answers an HTTP/1.1 request without a `Host` header with 400 `BAD_REQUEST` (RFC 9112 §3.2). Node
 * refuses such requests itself with an empty 400 unless the server is created with
 * `requireHostHeader: false`; this middleware gives them the error envelope and a request id
 * instead. Mount it after `requestId`.
 *
 * @example
 * const server = createServer({ requireHostHeader: false }, app);
 * app.use(hostHeader());
 */
export const hostHeader = () =>
  function hostHeader(req: Request, _res: Response, next: NextFunction): void {
    const missing = req.httpVersion === '1.1' && (req.headers.host ?? '').trim() === '';
    next(missing ? HttpError.badRequest('An HTTP/1.1 request needs a Host header.') : undefined);
  };
