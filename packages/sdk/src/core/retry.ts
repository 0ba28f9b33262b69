import { parseRetryAfter } from './headers.js';

/** Default number of retries after the first attempt. */
export const DEFAULT_MAX_RETRIES = 2;

/** First backoff step in milliseconds; step n waits `INITIAL_RETRY_DELAY_MS * 2^n`, jittered. */
export const INITIAL_RETRY_DELAY_MS = 500;

/** Longest backoff step in milliseconds, before jitter. */
export const MAX_RETRY_DELAY_MS = 8_000;

/** Methods that are safe to send twice, so they are retried without an idempotency key. */
export const idempotentMethods: readonly string[] = ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'];

/**
 * Whether a call may be sent again: idempotent methods always, anything else only when it carries an
 * `Idempotency-Key` the server uses to answer a repeat with the first result.
 */
export const isRetryableMethod = (method: string, hasIdempotencyKey: boolean): boolean =>
  idempotentMethods.includes(method.toUpperCase()) || hasIdempotencyKey;

/** Statuses worth retrying: 408 timeout, 409 conflict (a concurrent request holds the key), 429, 5xx. */
export const isRetryableStatus = (status: number): boolean =>
  status === 408 || status === 409 || status === 429 || status >= 500;

/** The statuses of {@link isRetryableStatus}, listed, as ky's `retry.statusCodes` takes them. */
export const retryableStatuses: readonly number[] = [
  408,
  409,
  429,
  ...Array.from({ length: 100 }, (_, index) => 500 + index),
];

/** Backoff step `retry` (0 for the first retry) before jitter: `0.5 s * 2^retry`, at most 8 s. */
export const backoffDelay = (retry: number, initial: number = INITIAL_RETRY_DELAY_MS): number =>
  Math.min(initial * 2 ** retry, MAX_RETRY_DELAY_MS);

/** `ms` moved by up to 25 % either way, so that clients do not retry in lockstep. */
export const jitter = (ms: number, random: () => number = Math.random): number =>
  Math.round(ms * (0.75 + random() * 0.5));

/**
 * How long to wait before retry number `retry` (0 for the first retry). A server's `retry-after-ms` or
 * `Retry-After` wins, capped at 60 s and not jittered; otherwise exponential backoff
 * `0.5 s * 2^retry`, capped at 8 s, with ±25 % jitter.
 */
export const retryDelay = (retry: number, headers?: Headers, random: () => number = Math.random): number =>
  (headers && parseRetryAfter(headers)) ?? jitter(backoffDelay(retry), random);

/**
 * Waits `ms` milliseconds, or rejects with `signal.reason` as soon as the signal aborts (also when it
 * has already aborted), so that an abort never has to sit out a backoff.
 */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * A fresh idempotency key: 128 random bits. Built on `crypto.getRandomValues`, which unlike
 * `crypto.randomUUID` also exists on pages served over plain http.
 */
export const createIdempotencyKey = (): string => {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return `cartrita-${hex}`;
};
