/** @module The `stopping` middleware: once the server is stopping, new requests are turned away. */
import type { NextFunction, Request, Response } from 'express';
import { HttpError } from '../../http-error.js';

/** Options of {@link stopping}. */
export interface StoppingOptions {
  /** Whether the server is stopping now. */
  isStopping(): boolean;
}

/**
 * Answers every request with 503 `SERVICE_UNAVAILABLE` (with `Retry-After` and `Connection: close`)
 * once the server has begun to stop, so a load balancer sends it elsewhere while running work
 * finishes. Mount it early, before the routes.
 *
 * @example
 * app.use(stopping({ isStopping: () => context.lifecycle.stopping }));
 */
export const stopping = (options: StoppingOptions) => {
  if (typeof options?.isStopping !== 'function')
    throw new TypeError('stopping: isStopping must be a function');
  return function stopping(_req: Request, res: Response, next: NextFunction): void {
    if (!options.isStopping()) {
      next();
      return;
    }
    res.set('Connection', 'close');
    next(
      new HttpError('SERVICE_UNAVAILABLE', 'The server is stopping; send the request again shortly.', {
        headers: { 'Retry-After': '5' },
      }),
    );
  };
};
