import { expect, it } from 'vitest';
import * as z from 'zod';
import { errorEnvelope, fromBodyParserError, HttpError, isHttpError, toHttpError } from './http-error.js';

it('derives the status and type from the code', () => {
  const error = new HttpError('SESSION_NOT_FOUND', 'Session s_1 does not exist');
  expect(error).toBeInstanceOf(Error);
  expect(error.status).toBe(404);
  expect(error.type).toBe('NotFoundError');
  expect(error.details).toEqual({});
  expect(error.headers).toEqual({});
});

it('takes an explicit status, type, details, headers and cause', () => {
  const cause = new Error('socket hang up');
  const error = new HttpError('PROVIDER_ERROR', 'OpenAI did not answer', {
    status: 504,
    type: 'ChatKitError',
    details: { provider: 'openai' },
    headers: { 'Retry-After': '5' },
    cause,
  });
  expect(error).toMatchObject({ status: 504, type: 'ChatKitError', details: { provider: 'openai' } });
  expect(error.headers['Retry-After']).toBe('5');
  expect(error.cause).toBe(cause);
});

it('names the kind and id in a not-found error and picks the kind’s own code', () => {
  expect(HttpError.notFound('session', 'sess_9')).toMatchObject({
    code: 'SESSION_NOT_FOUND',
    message: 'Session sess_9 does not exist',
  });
  expect(HttpError.notFound('thread', 'thr_1').code).toBe('THREAD_NOT_FOUND');
  expect(HttpError.notFound('persona', 'per_1')).toMatchObject({
    code: 'NOT_FOUND',
    message: 'Persona per_1 does not exist',
  });
});

it('builds 401 challenges and 429 retry headers', () => {
  expect(HttpError.unauthorized('Authentication required').headers).toEqual({
    'WWW-Authenticate': 'Bearer realm="cartrita"',
  });
  expect(HttpError.unauthorized('Bad "token"', true).headers['WWW-Authenticate']).toBe(
    'Bearer realm="cartrita", error="invalid_token", error_description="Bad  token "',
  );
  const limited = HttpError.rateLimited(1500);
  expect(limited.status).toBe(429);
  expect(limited.headers).toEqual({ 'Retry-After': '2', 'retry-after-ms': '1500' });
});

it('recognises HttpErrors by brand', () => {
  expect(isHttpError(HttpError.conflict('x'))).toBe(true);
  expect(isHttpError(new Error('x'))).toBe(false);
  expect(isHttpError({ code: 'CONFLICT', status: 409 })).toBe(false);
});

it('maps zod errors to 422 with dotted field paths', () => {
  const result = z.object({ a: z.object({ b: z.array(z.number()) }) }).safeParse({ a: { b: [1, 'x'] } });
  const error = toHttpError(result.error);
  expect(error.status).toBe(422);
  expect(error.details).toEqual({ fields: [{ path: 'a.b.1', message: expect.any(String) }] });
});

it('maps body-parser errors by type and leaves others alone', () => {
  expect(fromBodyParserError({ type: 'entity.too.large', limit: 10 })?.status).toBe(413);
  expect(fromBodyParserError({ type: 'encoding.unsupported' })?.status).toBe(415);
  expect(fromBodyParserError({ type: 'request.aborted' })?.status).toBe(400);
  expect(fromBodyParserError({ type: 'something.else' })).toBeUndefined();
  expect(fromBodyParserError(new Error('x'))).toBeUndefined();
});

it('hides everything about an unexpected error', () => {
  const cause = new Error('ECONNREFUSED 10.0.0.5:5432');
  const error = toHttpError(cause);
  expect(error).toMatchObject({ status: 500, code: 'INTERNAL_ERROR', message: 'An internal error occurred' });
  expect(error.cause).toBe(cause);
  expect(toHttpError(Object.assign(new Error('secret path'), { status: 404 })).status).toBe(500);
});

it('builds the envelope with a timestamp and request id', () => {
  const envelope = errorEnvelope(HttpError.badRequest('Nope', { field: 'x' }), 'req_1', new Date(0));
  expect(envelope).toEqual({
    error: { code: 'BAD_REQUEST', type: 'BadRequestError', message: 'Nope', details: { field: 'x' } },
    timestamp: '1970-01-01T00:00:00.000Z',
    request_id: 'req_1',
  });
});
