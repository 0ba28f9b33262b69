/** @module The `rate-limit` middleware: requests per window per address, or per key or user once authenticated. */
import type { NextFunction, Request, Response } from 'express';
import { HttpError } from '../../http-error.js';
import { addressKey } from '../../limits/address.js';
import { hit, type LimiterFactory, memoryLimiter } from '../../limits/limiter.js';

export { addressKey } from '../../limits/address.js';

/** Options of {@link rateLimit}. */
export interface RateLimitOptions {
  /** Requests per window for an anonymous caller, counted per IP address; 0 turns the limit off. */
  limit: number;
  /** Requests per window for an authenticated caller, counted per API key or user; default `limit`; 0 is off. */
  authenticatedLimit?: number;
  /** The window length in milliseconds; default 60 000. */
  windowMs?: number;
  /** Where counts live; default this process's memory. */
  limiter?: LimiterFactory;
  /** Requests not counted at all, such as health checks. */
  skip?: (req: Request) => boolean;
  /** Prefix of every key, so several limiters can share one store; default `rl`. */
  prefix?: string;
}

/**
 * Limits requests per caller: anonymous callers by IP address (IPv6 by /64 network, since one host
 * holds a whole /64), authenticated ones by API key or by the client secret's user, with their own
 * higher limit. A request whose credential was refused counts as anonymous, against its address.
 * Mount it after `authenticate` so it knows who is calling. Every counted response carries
 * `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds); over the limit the
 * answer is 429 `RATE_LIMITED` with `Retry-After` (seconds) and `retry-after-ms`.
 *
 * `req.ip` honours Express's `trust proxy` setting: behind a proxy set `TRUST_PROXY`, or every caller
 * shares the proxy's address.
 *
 * @example
 * app.use(rateLimit({ limit: config.rateLimit.perMinute, authenticatedLimit: config.rateLimit.authenticatedPerMinute }));
 */
export const rateLimit = (options: RateLimitOptions) => {
  const limit = options?.limit;
  const authenticatedLimit = options?.authenticatedLimit ?? limit;
  const windowMs = options?.windowMs ?? 60_000;
  for (const [name, value] of [
    ['limit', limit],
    ['authenticatedLimit', authenticatedLimit],
  ] as const) {
    if (!Number.isInteger(value) || value < 0) {
      throw new TypeError(`rateLimit: ${name} must be a whole number`);
    }
  }
  if (!Number.isInteger(windowMs) || windowMs < 1) {
    throw new TypeError('rateLimit: windowMs must be a positive integer');
  }
  const factory = options.limiter ?? memoryLimiter;
  if (typeof factory !== 'function') throw new TypeError('rateLimit: limiter must be a function');
  const prefix = options.prefix ?? 'rl';
  const anonymous = limit > 0 ? factory({ points: limit, windowMs, keyPrefix: `${prefix}:ip` }) : undefined;
  const authenticated =
    authenticatedLimit > 0
      ? factory({ points: authenticatedLimit, windowMs, keyPrefix: `${prefix}:caller` })
      : undefined;
  const skip = options.skip;
  const per = windowMs === 60_000 ? 'per minute' : `per ${windowMs / 1000} seconds`;

  return async function rateLimit(req: Request, res: Response, next: NextFunction): Promise<void> {
    if (skip?.(req)) {
      next();
      return;
    }
    const auth = req.auth;
    const [limiter, key, max] =
      auth?.kind === 'api_key'
        ? [authenticated, `key:${auth.keyId}`, authenticatedLimit]
        : auth?.kind === 'client_secret'
          ? [authenticated, `user:${auth.userId}`, authenticatedLimit]
          : [anonymous, addressKey(req.ip ?? req.socket.remoteAddress ?? 'unknown'), limit];
    if (limiter === undefined) {
      next();
      return;
    }
    const counted = await hit(limiter, key);
    res.setHeader('RateLimit-Limit', String(max));
    res.setHeader('RateLimit-Remaining', String(counted.remaining));
    res.setHeader('RateLimit-Reset', String(Math.ceil(counted.resetMs / 1000)));
    if (counted.limited) {
      next(
        HttpError.rateLimited(
          counted.resetMs,
          `Rate limit of ${max} requests ${per} exceeded; retry in ${Math.ceil(counted.resetMs / 1000)} s`,
        ),
      );
      return;
    }
    next();
  };
};
