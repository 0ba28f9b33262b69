/** @module The `not-found` middleware: the 404 for a request no route matched. */
import type { NextFunction, Request, Response } from 'express';
import { HttpError } from '../../http-error.js';

/**
 * Answers a request that no route matched with 404 `NOT_FOUND`, naming its method and path (never its
 * query, which may hold a credential). Mount it after every route and before `errorHandler`.
 *
 * @example
 * app.use(notFound());
 */
export const notFound = () =>
  function notFound(req: Request, _res: Response, next: NextFunction): void {
    const full = (req.originalUrl ?? req.url).split('?')[0] as string;
    const path = full.length > 200 ? `${full.slice(0, 200)}...` : full;
    next(
      new HttpError('NOT_FOUND', `No route for ${req.method} ${path}`, {
        details: { method: req.method, path },
      }),
    );
  };
