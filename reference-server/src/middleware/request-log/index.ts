/** @module The `request-log` middleware: one log line per finished request. */
import type { NextFunction, Request, Response } from 'express';
import { type Logger, serializeRequest } from '../../logger.js';
import { traceIdOf } from '../request-telemetry/index.js';

/** Options of {@link requestLog}. */
export interface RequestLogOptions {
  logger: Pick<Logger, 'info' | 'warn'>;
  /** Requests not logged, such as health checks polled every few seconds. */
  skip?: (req: Request) => boolean;
  /** Recognises credentials in URLs beyond the shapes `redactUrl` knows, such as configured keys. */
  isSecret?: (value: string) => boolean;
}

/**
 * Logs each request once when its response finishes (or the client goes away): method, URL with
 * credentials redacted, status, duration, request id and trace id. Headers are never logged. 5xx responses are
 * logged at `warn`, the rest at `info`.
 *
 * @example
 * app.use(requestLog({ logger, skip: (req) => req.path === '/health' }));
 */
export const requestLog = (options: RequestLogOptions) => {
  if (!options || typeof options.logger?.info !== 'function') {
    throw new TypeError('requestLog: logger is required');
  }
  const { logger, skip, isSecret } = options;
  const redact = isSecret ? { isSecret } : {};

  return function requestLog(req: Request, res: Response, next: NextFunction): void {
    if (skip?.(req)) {
      next();
      return;
    }
    const started = process.hrtime.bigint();
    let logged = false;
    const done = () => {
      if (logged) return;
      logged = true;
      const traceId = traceIdOf(res);
      const line = {
        ...(traceId === undefined ? {} : { trace_id: traceId }),
        req: serializeRequest(req, redact),
        status: res.statusCode,
        durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        ...(res.writableFinished ? {} : { aborted: true }),
      };
      if (res.statusCode >= 500) logger.warn(line, 'request completed');
      else logger.info(line, 'request completed');
    };
    res.once('finish', done);
    res.once('close', done);
    next();
  };
};
