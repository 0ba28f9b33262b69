/**
 * @module How the server calls a plain-HTTP provider (Tavily, Deepgram): ky with no retries of its own
 * and a deadline, the answer checked against our zod schema of the provider's wire format, and every
 * failure turned into the {@link HttpError} our clients see, with no key in any message.
 */
import ky, { HTTPError, NetworkError, TimeoutError } from 'ky';
import type * as z from 'zod';
import { HttpError } from '../http-error.js';

/** Options of {@link createUpstreamHttp}. */
export interface UpstreamHttpOptions {
  /** The provider's name, in messages and `details.provider`. */
  provider: string;
  /** The provider's origin and path prefix, without a trailing slash: `https://api.tavily.com`. */
  baseUrl: string;
  /** Headers of every request (the credential). */
  headers: Record<string, string>;
  /** The longest wait for the whole answer, in milliseconds. */
  timeoutMs: number;
  /** The setting that holds the key, named when the provider refuses it: `TAVILY_API_KEY`. */
  keySetting: string;
  /** Strings that must never reach a message (the key). */
  secrets: readonly string[];
  /** A `fetch` to use instead of the global one. */
  fetch?: typeof fetch;
  /** The provider's error message in an error body, when it has one (`detail.error`, `err_msg`). */
  errorMessage?: (body: unknown) => string | undefined;
}

/** One request: a JSON body or raw bytes, query parameters, and the caller's cancellation. */
export interface UpstreamRequest {
  json?: unknown;
  body?: Uint8Array;
  contentType?: string;
  searchParams?: Record<string, string>;
  signal?: AbortSignal;
}

/** A provider reached over plain HTTP. */
export interface UpstreamHttp {
  /** POSTs to `path` and resolves the answer parsed by `schema`, or throws an {@link HttpError}. */
  post<T>(path: string, request: UpstreamRequest, schema: z.ZodType<T>): Promise<T>;
}

/**
 * A provider's HTTP door.
 *
 * - a 429 → `RATE_LIMITED` (429) with `Retry-After` from the provider's (default 1 s);
 * - 401, 403 → `PROVIDER_ERROR` saying the server's key was refused, naming its setting;
 * - any other status → `PROVIDER_ERROR` with the upstream status and message;
 * - no answer within the deadline, a broken connection, or an answer that is not the documented
 *   JSON → `PROVIDER_ERROR` with `details.reason` `timeout`, `connection` or `malformed`;
 * - the caller's cancellation → the signal's reason, as it is.
 */
export const createUpstreamHttp = (options: UpstreamHttpOptions): UpstreamHttp => {
  const client = ky.create({
    prefix: options.baseUrl,
    headers: options.headers,
    timeout: options.timeoutMs,
    retry: 0,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const clean = (text: string) => redact(text, options.secrets);
  const fail = (message: string, details: Record<string, unknown>, cause: unknown) =>
    new HttpError('PROVIDER_ERROR', message, {
      details: { provider: options.provider, upstream_status: null, ...details },
      cause,
    });

  const toError = (error: unknown): HttpError => {
    if (error instanceof HTTPError) {
      const status = error.response.status;
      const said = clean(options.errorMessage?.(error.data) ?? '').slice(0, 300);
      if (status === 429) {
        const seconds = retryAfterSeconds(error.response.headers.get('retry-after'));
        return new HttpError(
          'RATE_LIMITED',
          `The ${options.provider} provider is rate limiting this server; retry after ${seconds} s.`,
          {
            details: { provider: options.provider, upstream_status: 429, retry_after_ms: seconds * 1000 },
            headers: { 'Retry-After': String(seconds) },
            cause: error,
          },
        );
      }
      if (status === 401 || status === 403) {
        return fail(
          `The ${options.provider} provider refused this server's API key (upstream status ${status}); check ${options.keySetting}.`,
          { upstream_status: status },
          error,
        );
      }
      return fail(
        `The ${options.provider} provider failed with status ${status}${said ? `: ${said}` : '.'}`,
        { upstream_status: status },
        error,
      );
    }
    if (error instanceof TimeoutError) {
      return fail(
        `The ${options.provider} provider did not answer within ${options.timeoutMs} ms.`,
        { reason: 'timeout' },
        error,
      );
    }
    if (error instanceof NetworkError || error instanceof TypeError) {
      return fail(`Could not connect to the ${options.provider} provider.`, { reason: 'connection' }, error);
    }
    return fail(`The ${options.provider} provider could not be reached.`, { reason: 'connection' }, error);
  };

  return {
    async post(path, request, schema) {
      request.signal?.throwIfAborted();
      let text: string;
      try {
        const response = await client.post(path.replace(/^\//, ''), {
          ...(request.json === undefined ? {} : { json: request.json }),
          ...(request.body === undefined ? {} : { body: request.body as BodyInit }),
          ...(request.contentType ? { headers: { 'content-type': request.contentType } } : {}),
          ...(request.searchParams ? { searchParams: request.searchParams } : {}),
          ...(request.signal ? { signal: request.signal } : {}),
        });
        text = await response.text();
      } catch (error) {
        if (request.signal?.aborted) throw request.signal.reason;
        throw toError(error);
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw fail(
          `The ${options.provider} provider sent a malformed answer.`,
          { reason: 'malformed' },
          error,
        );
      }
      const result = schema.safeParse(parsed);
      if (!result.success) {
        throw fail(
          `The ${options.provider} provider sent an answer of an unexpected shape.`,
          { reason: 'malformed' },
          result.error,
        );
      }
      return result.data;
    },
  };
};

/** The seconds an upstream `Retry-After` asks for (seconds or an HTTP date); 1 when absent, at least 1. */
const retryAfterSeconds = (value: string | null): number => {
  const text = value?.trim() ?? '';
  if (/^\d+(\.\d+)?$/.test(text)) return Math.max(1, Math.ceil(Number(text)));
  const date = Date.parse(text);
  if (Number.isFinite(date)) return Math.max(1, Math.ceil((date - Date.now()) / 1000));
  return 1;
};

/** Removes secrets from a message. */
const redact = (text: string, secrets: readonly string[]): string => {
  let result = text;
  for (const secret of secrets) if (secret.length >= 4) result = result.split(secret).join('[REDACTED]');
  return result;
};
