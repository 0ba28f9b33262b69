/** @module The `cors` middleware: an origin allowlist with the methods and headers of the Cartrita API. */
import type { NextFunction, Request, Response } from 'express';
import { HttpError } from '../../http-error.js';

/** Options of {@link cors}. */
export interface CorsOptions {
  /**
   * Allowed origins, such as `https://example.com` (scheme, host and port; no path). `*` allows any
   * origin, but then without credentials; origins listed next to `*` still get credentials.
   */
  origins: readonly string[];
  /** How long a browser may cache a preflight answer, in seconds; default 600. */
  maxAge?: number;
}

/** The methods a cross-origin caller may use. */
export const corsMethods: readonly string[] = ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'];

/** The request headers a cross-origin caller may send. */
export const corsAllowedHeaders: readonly string[] = [
  'Content-Type',
  'Accept',
  'Accept-Language',
  'Authorization',
  'X-API-Key',
  'X-Session-Token',
  'Last-Event-ID',
  'Idempotency-Key',
  'chatkit-frame-instance-id',
  'x-cartrita-retry-count',
];

/** The response headers a cross-origin caller may read. */
export const corsExposedHeaders: readonly string[] = [
  'X-Request-Id',
  'X-Trace-Id',
  'Retry-After',
  'retry-after-ms',
];

/**
 * Answers CORS for an allowlist of origins (seed 002). An allowed origin gets
 * `Access-Control-Allow-Origin` (echoed) with credentials; a preflight from it is answered 204 here.
 * A disallowed origin gets no CORS headers, so the browser withholds the response, and its preflight
 * gets a 403 envelope. Requests without `Origin` pass untouched. Every response varies on `Origin`.
 *
 * @example
 * app.use(cors({ origins: config.security.corsOrigins }));
 */
export const cors = (options: CorsOptions) => {
  if (!options || !Array.isArray(options.origins)) {
    throw new TypeError('cors: origins must be an array of origins');
  }
  const exact = new Set<string>();
  let any = false;
  for (const origin of options.origins) {
    if (origin === '*') {
      any = true;
      continue;
    }
    const normalised = normaliseOrigin(origin);
    if (normalised === undefined) throw new TypeError(`cors: ${JSON.stringify(origin)} is not an origin`);
    exact.add(normalised);
  }
  const maxAge = options.maxAge ?? 600;
  if (!Number.isInteger(maxAge) || maxAge < 0) {
    throw new TypeError('cors: maxAge must be a whole number of seconds');
  }
  const methods = corsMethods.join(', ');
  const allowedHeaders = corsAllowedHeaders.join(', ');
  const exposedHeaders = corsExposedHeaders.join(', ');

  return function cors(req: Request, res: Response, next: NextFunction): void {
    res.vary('Origin');
    const origin = req.get('Origin');
    const preflight = req.method === 'OPTIONS' && req.get('Access-Control-Request-Method') !== undefined;
    if (origin === undefined) {
      next();
      return;
    }
    const listed = exact.has(normaliseOrigin(origin) ?? '');
    if (!listed && !any) {
      if (preflight) {
        next(HttpError.forbidden(`Origin ${origin} is not allowed to call this server`, { origin }));
        return;
      }
      next();
      return;
    }
    if (listed) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
    } else {
      res.setHeader('Access-Control-Allow-Origin', '*');
    }
    res.setHeader('Access-Control-Expose-Headers', exposedHeaders);
    if (!preflight) {
      next();
      return;
    }
    res.setHeader('Access-Control-Allow-Methods', methods);
    res.setHeader('Access-Control-Allow-Headers', allowedHeaders);
    res.setHeader('Access-Control-Max-Age', String(maxAge));
    res.status(204).end();
  };
};

/** The canonical form of an origin (`new URL().origin`), or `undefined` when it is not one. */
const normaliseOrigin = (origin: string): string | undefined => {
  if (origin === 'null') return undefined;
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
};
