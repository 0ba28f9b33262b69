import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './headers.js';
import { createIdempotencyKey, isRetryableMethod, isRetryableStatus, retryDelay, sleep } from './retry.js';

describe('retryDelay', () => {
  it('doubles from 0.5 s and caps at 8 s without jitter at the midpoint', () => {
    const middle = () => 0.5;
    expect([0, 1, 2, 3, 4, 5].map((retry) => retryDelay(retry, undefined, middle))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000,
    ]);
  });

  it('jitters by 25 % either way', () => {
    expect(retryDelay(1, undefined, () => 0)).toBe(750);
    expect(retryDelay(1, undefined, () => 0.999999)).toBe(1250);
  });

  it('uses the server wait without jitter', () => {
    expect(retryDelay(0, new Headers({ 'retry-after': '2' }), () => 0)).toBe(2000);
    expect(retryDelay(3, new Headers({ 'retry-after-ms': '120' }), () => 0)).toBe(120);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('prefers retry-after-ms to Retry-After', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '300', 'retry-after': '9' }), now)).toBe(300);
  });

  it('reads an HTTP date relative to now', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }), now)).toBe(5000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Wed, 31 Dec 2025 23:00:00 GMT' }), now)).toBe(0);
  });

  it('caps the wait at 60 s', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '3600' }), now)).toBe(60_000);
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '999999' }), now)).toBe(60_000);
  });

  it('ignores values it cannot read', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
  });
});

describe('retry rules', () => {
  it('retries idempotent methods, and others only with a key', () => {
    for (const method of ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'])
      expect(isRetryableMethod(method, false)).toBe(true);
    expect(isRetryableMethod('POST', false)).toBe(false);
    expect(isRetryableMethod('POST', true)).toBe(true);
    expect(isRetryableMethod('PATCH', false)).toBe(false);
  });

  it('retries 408, 409, 429 and 5xx only', () => {
    expect([400, 401, 403, 404, 408, 409, 413, 422, 429, 500, 502, 503].filter(isRetryableStatus)).toEqual([
      408, 409, 429, 500, 502, 503,
    ]);
  });

  it('makes a different idempotency key each time', () => {
    const key = createIdempotencyKey();
    expect(key).toMatch(/^cartrita-[0-9a-f]{32}$/);
    expect(createIdempotencyKey()).not.toBe(key);
  });
});

describe('sleep', () => {
  it('rejects with the abort reason as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
  });

  it('rejects at once when the signal has already aborted', async () => {
    await expect(sleep(60_000, AbortSignal.abort('gone'))).rejects.toBe('gone');
  });
});
