import { defaultErrorType, type ErrorCode, errorStatus, type FieldIssue } from '@cartrita/contracts';

/** Options of a {@link MockHttpError}. */
export interface MockHttpErrorOptions {
  /** HTTP status; defaults to the code's status from the contracts. */
  status?: number;
  /** PascalCase error type; defaults to the code's default type. */
  type?: string;
  /** `error.details` of the envelope. */
  details?: Record<string, unknown>;
  /** Extra response headers, such as `Retry-After`. */
  headers?: Record<string, string>;
}

const statusOf = (code: string): number | undefined =>
  Object.hasOwn(errorStatus, code) ? errorStatus[code as ErrorCode] : undefined;

const typeOf = (code: string): string | undefined =>
  Object.hasOwn(defaultErrorType, code) ? defaultErrorType[code as ErrorCode] : undefined;

/**
 * An expected failure of the fake server. Handlers and the store throw it; the route wrapper turns it
 * into the error envelope, exactly as the reference server's `HttpError` does.
 *
 * @example
 * throw new MockHttpError('THREAD_NOT_FOUND', `Thread ${id} does not exist`);
 */
export class MockHttpError extends Error {
  override readonly name = 'MockHttpError';
  readonly status: number;
  readonly code: string;
  readonly type: string;
  readonly details: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode | (string & {}), message: string, options: MockHttpErrorOptions = {}) {
    super(message);
    this.code = code;
    this.status = options.status ?? statusOf(code) ?? 500;
    this.type = options.type ?? typeOf(code) ?? 'Error';
    this.details = options.details ?? {};
    this.headers = options.headers ?? {};
  }
}

/** A 422 naming the failing fields in `details.fields`. */
export const validationError = (fields: FieldIssue[], message = 'The request is invalid'): MockHttpError =>
  new MockHttpError('VALIDATION_ERROR', message, { details: { fields } });

/**
 * Thrown when the fake itself would break the contract (a response that fails its schema, a `null`
 * on the wire). It is a bug in the fake or in a test's scripted reply, never an expected failure.
 */
export class MockContractError extends Error {
  override readonly name = 'MockContractError';
}
