import { describe, expect, it } from 'vitest';
import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  CartritaError,
  ConflictError,
  ERROR_BRAND,
  InternalServerError,
  isAPIConnectionError,
  isAPIError,
  isAPITimeoutError,
  isAPIUserAbortError,
  isCartritaError,
  isNotFoundError,
  isRateLimitError,
  isStreamError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  StreamError,
  UnprocessableEntityError,
} from './errors.js';

const envelope = (code: string, message: string) => ({
  error: { code, type: 'NotFoundError', message, details: { id: 'sess_1' } },
  timestamp: '2026-01-01T00:00:00.000Z',
  request_id: 'req_body',
});

const from = (status: number, body: unknown = undefined, headers: HeadersInit = {}) =>
  APIError.from({ method: 'GET', path: '/api/sessions/sess_1', status, headers: new Headers(headers), body });

describe('APIError.from', () => {
  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [422, UnprocessableEntityError],
    [429, RateLimitError],
    [500, InternalServerError],
    [503, InternalServerError],
  ])('builds the subclass for status %i', (status, type) => {
    const error = from(status);
    expect(error).toBeInstanceOf(type);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toBeInstanceOf(CartritaError);
    expect(error.name).toBe(type.name);
    expect(error.status).toBe(status);
  });

  it('builds a plain APIError for a status without a subclass', () => {
    const error = from(418);
    expect(error.constructor).toBe(APIError);
    expect(error.name).toBe('APIError');
  });

  it('writes a sentence with the status, method and path', () => {
    expect(from(404).message).toBe('Request failed with status 404: GET /api/sessions/sess_1');
  });

  it('reads code, type, details, message and request id from the envelope', () => {
    const error = from(404, envelope('SESSION_NOT_FOUND', 'Session sess_1 does not exist'), {
      'x-request-id': 'req_header',
    });
    expect(error.message).toBe(
      'Request failed with status 404: GET /api/sessions/sess_1 (SESSION_NOT_FOUND: Session sess_1 does not exist)',
    );
    expect(error).toMatchObject({
      code: 'SESSION_NOT_FOUND',
      type: 'NotFoundError',
      serverMessage: 'Session sess_1 does not exist',
      details: { id: 'sess_1' },
      requestId: 'req_body',
      method: 'GET',
      path: '/api/sessions/sess_1',
    });
  });

  it('falls back to the X-Request-Id header for the request id', () => {
    expect(from(500, 'upstream exploded', { 'x-request-id': 'req_header' }).requestId).toBe('req_header');
  });

  it('keeps a body that is not an envelope', () => {
    const error = from(502, 'Bad gateway');
    expect(error.body).toBe('Bad gateway');
    expect(error.code).toBeUndefined();
  });

  it('gives a RateLimitError the wait the server asked for', () => {
    expect((from(429, undefined, { 'retry-after': '3' }) as RateLimitError).retryAfterMs).toBe(3000);
    expect((from(429, undefined, { 'retry-after-ms': '250' }) as RateLimitError).retryAfterMs).toBe(250);
    expect((from(429) as RateLimitError).retryAfterMs).toBeUndefined();
  });
});

describe('guards', () => {
  it('recognise errors of this copy of the package', () => {
    expect(isAPIError(from(404))).toBe(true);
    expect(isNotFoundError(from(404))).toBe(true);
    expect(isRateLimitError(from(404))).toBe(false);
    expect(isCartritaError(new StreamError('x'))).toBe(true);
    expect(isStreamError(new StreamError('x'))).toBe(true);
    expect(isAPIError(new StreamError('x'))).toBe(false);
    expect(isAPIUserAbortError(new APIUserAbortError())).toBe(true);
    expect(isAPIConnectionError(new APIConnectionError('down'))).toBe(true);
    expect(isAPITimeoutError(new APITimeoutError({ kind: 'idle', timeoutMs: 5 }))).toBe(true);
  });

  it('recognise an error branded by another copy of the package', () => {
    const foreign = Object.assign(new Error('Request failed with status 404: GET /x'), {
      [Symbol.for('cartrita.error')]: ['CartritaError', 'APIError', 'NotFoundError'],
      status: 404,
    });
    expect(foreign).not.toBeInstanceOf(APIError);
    expect(isCartritaError(foreign)).toBe(true);
    expect(isAPIError(foreign)).toBe(true);
    expect(isNotFoundError(foreign)).toBe(true);
    expect(isAPITimeoutError(foreign)).toBe(false);
  });

  it('reject look-alikes without the brand', () => {
    expect(isAPIError(Object.assign(new Error('x'), { status: 404, name: 'APIError' }))).toBe(false);
    expect(isCartritaError(undefined)).toBe(false);
    expect(isCartritaError('APIError')).toBe(false);
  });

  it('brand each error with its kinds from the root down', () => {
    expect(from(429)[ERROR_BRAND]).toEqual(['CartritaError', 'APIError', 'RateLimitError']);
    expect(Object.keys(from(429))).not.toContain(String(ERROR_BRAND));
  });
});

describe('other errors', () => {
  it('describe which timeout expired', () => {
    const error = new APITimeoutError({ kind: 'idle', timeoutMs: 100, method: 'POST', path: '/chatkit' });
    expect(error.kind).toBe('idle');
    expect(error.message).toBe('Timed out after 100 ms without receiving a stream event: POST /chatkit');
  });

  it('keep the cause of a connection error', () => {
    const cause = new TypeError('fetch failed');
    const error = APIConnectionError.forRequest({ method: 'GET', path: '/health' }, cause);
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('Could not reach the server: GET /health');
  });
});
