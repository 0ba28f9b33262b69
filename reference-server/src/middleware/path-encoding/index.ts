/** @module The `path-encoding` middleware: a path that cannot be decoded is the client's error. */
import type { NextFunction, Request, Response } from 'express';
import { HttpError } from '../../http-error.js';

/** Whether every percent-escape of a path decodes to UTF-8. */
const decodes = (path: string): boolean => {
  if (!path.includes('%')) return true;
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
};

/**
 * Answers a request whose path holds a malformed percent-encoding (`%ZZ`, a lone `%`, or bytes that
 * are not UTF-8 such as `%FF` or the overlong `%C0%AF`) with 400 `BAD_REQUEST`, before any route
 * tries to decode its parameters. Mount it before the routes.
 *
 * @example
 * app.use(pathEncoding());
 */
export const pathEncoding = () =>
  function pathEncoding(req: Request, _res: Response, next: NextFunction): void {
    if (decodes(req.path)) {
      next();
      return;
    }
    next(
      new HttpError(
        'BAD_REQUEST',
        'The request path has a malformed percent-encoding: each % must start an escape of UTF-8 bytes.',
      ),
    );
  };
