/** @module The `rate-limit` middleware: requests per window per address, or per key or user once authenticated. */
import { isIPv6 } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import { HttpError } from '../../http-error.js';
import { MemoryRateLimitStore, type RateLimitStore } from './memory-store.js';

export {
  MemoryRateLimitStore,
  type MemoryRateLimitStoreOptions,
  type RateLimitHit,
  type RateLimitStore,
} from './memory-store.js';

/** Options of {@link rateLimit}. */
export interface RateLimitOptions {
  /** Requests per window for an anonymous caller, counted per IP address; 0 turns the limit off. */
  limit: number;
  /** Requests per window for an authenticated caller, counted per API key or user; default `limit`; 0 is off. */
  authenticatedLimit?: number;
  /** The window length in milliseconds; default 60 000. */
  windowMs?: number;
  /** Where counts live; default a new {@link MemoryRateLimitStore}. */
  store?: RateLimitStore;
  /** Requests not counted at all, such as health checks. */
  skip?: (req: Request) => boolean;
  /** The clock, for tests; default `Date.now`. */
  now?: () => number;
  /** Prefix of every key, so several limiters can share one store; default `rl`. */
  prefix?: string;
}

/**
 * Limits requests per caller: anonymous callers by IP address (IPv6 by /64 network, since one host
 * holds a whole /64), authenticated ones by API key or by the client secret's user, with their own
 * higher limit. Mount it after `authenticate` so it knows who is calling. Every counted response
 * carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds); over the limit the
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
  const store = options.store ?? new MemoryRateLimitStore();
  if (typeof store.increment !== 'function') {
    throw new TypeError('rateLimit: store must have an increment method');
  }
  const now = options.now ?? Date.now;
  const prefix = options.prefix ?? 'rl';
  const skip = options.skip;
  const per = windowMs === 60_000 ? 'per minute' : `per ${windowMs / 1000} seconds`;

  return async function rateLimit(req: Request, res: Response, next: NextFunction): Promise<void> {
    if (skip?.(req)) {
      next();
      return;
    }
    const { key, max } = bucketOf(req, limit, authenticatedLimit);
    if (max === 0) {
      next();
      return;
    }
    const at = now();
    const hit = await store.increment(`${prefix}:${key}`, windowMs, at);
    const waitMs = Math.max(0, hit.resetAt - at);
    res.setHeader('RateLimit-Limit', String(max));
    res.setHeader('RateLimit-Remaining', String(Math.max(0, max - hit.count)));
    res.setHeader('RateLimit-Reset', String(Math.ceil(waitMs / 1000)));
    if (hit.count > max) {
      next(
        HttpError.rateLimited(
          waitMs,
          `Rate limit of ${max} requests ${per} exceeded; retry in ${Math.ceil(waitMs / 1000)} s`,
        ),
      );
      return;
    }
    next();
  };
};

const bucketOf = (req: Request, limit: number, authenticatedLimit: number): { key: string; max: number } => {
  const auth = req.auth;
  if (auth?.kind === 'api_key') return { key: `key:${auth.keyId}`, max: authenticatedLimit };
  if (auth?.kind === 'client_secret') return { key: `user:${auth.userId}`, max: authenticatedLimit };
  return { key: `ip:${addressKey(req.ip ?? req.socket.remoteAddress ?? 'unknown')}`, max: limit };
};

/** An IPv4 address as is; an IPv6 address as its /64 network (IPv4-mapped ones as IPv4). */
export const addressKey = (ip: string): string => {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1] as string;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.split('%')[0]?.split('::') ?? [];
  const headParts = head === '' ? [] : head.split(':');
  const tailParts = tail === '' ? [] : tail.split(':');
  const zeros = ip.includes('::') ? Array(8 - headParts.length - tailParts.length).fill('0') : [];
  const groups = [...headParts, ...zeros, ...tailParts];
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`;
};
