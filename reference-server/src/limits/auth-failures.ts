/** @module The budget of failed authentications per address, which makes guessing keys expensive. */
import { addressKey } from './address.js';
import { hit, type LimiterFactory, memoryLimiter, waitFor } from './limiter.js';

/** Options of {@link createAuthFailureLimiter}. */
export interface AuthFailureLimiterOptions {
  /** Failed authentications an address may make per window; 0 turns the budget off. */
  limit: number;
  /** The window length in milliseconds; default 60 000. */
  windowMs?: number;
  /** Where counts live; default this process's memory. */
  limiter?: LimiterFactory;
}

/** Counts failed authentications per address and says when an address must wait. */
export interface AuthFailureLimiter {
  /** The failures allowed per window. */
  readonly limit: number;
  /** Milliseconds the address must wait before presenting any credential again; 0 when it may. */
  blocked(ip: string): Promise<number>;
  /** Counts a failure against the address. */
  failed(ip: string): Promise<void>;
}

/**
 * A budget of failed authentications per address (IPv6 by /64), stricter than the request budget:
 * once it is spent, every request from that address that presents a credential is refused with 429
 * until the window ends, whether the credential is right or not, so a guess that happens to be
 * right cannot be told from the others.
 *
 * @example
 * const failures = createAuthFailureLimiter({ limit: config.rateLimit.authFailuresPerMinute });
 */
export const createAuthFailureLimiter = (options: AuthFailureLimiterOptions): AuthFailureLimiter => {
  const { limit } = options;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new TypeError('createAuthFailureLimiter: limit must be a whole number');
  }
  const windowMs = options.windowMs ?? 60_000;
  const limiter =
    limit > 0
      ? (options.limiter ?? memoryLimiter)({ points: limit, windowMs, keyPrefix: 'auth-fail' })
      : undefined;
  return {
    limit,
    blocked: async (ip) => (limiter ? waitFor(limiter, addressKey(ip), limit) : 0),
    failed: async (ip) => {
      if (limiter) await hit(limiter, addressKey(ip));
    },
  };
};
