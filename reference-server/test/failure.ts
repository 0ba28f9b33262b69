/** @module What a provider call's failure looks like to our clients, for tests. */
import { isHttpError } from '../src/http-error.js';

/**
 * Waits for `promise` to fail with an `HttpError` and answers what the client would see of it;
 * anything else (success, another error) fails the test.
 */
export const failure = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!isHttpError(error)) throw new Error(`expected an HttpError, got ${String(error)}`);
  return {
    status: error.status,
    code: error.code,
    message: error.message,
    details: error.details,
    headers: error.headers,
  };
};
