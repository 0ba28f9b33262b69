/**
 * @module The last line of defence: an error that escapes a request or a socket (thrown in a timer,
 * an event handler or a promise nobody awaits) ends that request or socket, is logged with its
 * request id, and the server goes on serving everyone else.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';
import { errorEnvelope, HttpError } from './http-error.js';
import type { Logger } from './logger.js';

/** What an escaped error ends and where it is logged. */
export interface Scope {
  /** The request id of the HTTP request or of the socket's upgrade. */
  requestId: string;
  logger: Pick<Logger, 'error'>;
  /** Facts logged with the error (method, path, socket kind). */
  fields: Record<string, unknown>;
  /** Ends what the scope serves: answers or resets the request, closes the socket. */
  close(): void;
}

const scopes = new AsyncLocalStorage<Scope>();

/** Runs `fn` in a scope: errors that escape anything it starts are charged to that scope. */
export const runInScope = <T>(scope: Scope, fn: () => T): T => scopes.run(scope, fn);

/**
 * Runs the rest of each request in a scope that answers 500 in the envelope (or, once the answer has
 * started, resets the connection) when an error escapes it. Mount it right after `requestId`.
 *
 * @example
 * app.use(requestId());
 * app.use(requestScope({ logger }));
 */
export const requestScope = (options: { logger: Pick<Logger, 'error'> }) =>
  function requestScope(req: Request, res: Response, next: NextFunction): void {
    const requestId = (res.locals.requestId as string | undefined) ?? req.id;
    const scope: Scope = {
      requestId,
      logger: options.logger,
      fields: { method: req.method, path: req.path },
      close: () => {
        if (res.headersSent || res.destroyed) {
          res.destroy();
          return;
        }
        const error = new HttpError('INTERNAL_ERROR', 'An internal error occurred');
        res.setHeader('Connection', 'close');
        res.status(500).json(errorEnvelope(error, requestId));
      },
    };
    scopes.run(scope, next);
  };

let installed: { count: number; remove: () => void } | undefined;
let fallback: Pick<Logger, 'error'> | undefined;

/**
 * Keeps the process alive through errors nothing caught: each is logged once, with the request id
 * of the request or socket it escaped from, and that request or socket is closed. An error outside
 * any scope is logged with the `logger` given here. Installed once per process however many servers
 * call it; the returned function removes this call's claim (the handlers go with the last one).
 */
export const guardProcess = (logger: Pick<Logger, 'error'>): (() => void) => {
  fallback = logger;
  if (installed) {
    installed.count += 1;
  } else {
    const onError = (error: unknown, origin: string) => {
      const scope = scopes.getStore();
      if (scope === undefined) {
        fallback?.error({ err: error, origin }, 'An error escaped outside any request; the server goes on');
        return;
      }
      scope.logger.error(
        { err: error, origin, requestId: scope.requestId, ...scope.fields },
        'An error escaped a request; it was closed and the server goes on',
      );
      try {
        scope.close();
      } catch (closeError) {
        scope.logger.error({ err: closeError, requestId: scope.requestId }, 'Closing the request failed');
      }
    };
    const onException = (error: unknown) => onError(error, 'uncaughtException');
    const onRejection = (error: unknown) => onError(error, 'unhandledRejection');
    process.on('uncaughtException', onException);
    process.on('unhandledRejection', onRejection);
    installed = {
      count: 1,
      remove: () => {
        process.off('uncaughtException', onException);
        process.off('unhandledRejection', onRejection);
      },
    };
  }
  let removed = false;
  return () => {
    if (removed || !installed) return;
    removed = true;
    installed.count -= 1;
    if (installed.count === 0) {
      installed.remove();
      installed = undefined;
      fallback = undefined;
    }
  };
};
