/** @module How a failed call to a plain-HTTP provider reaches our caller: one envelope per kind of failure. */
import { isNetworkError, isTimeoutError } from 'ky';
import { HttpError } from '../http-error.js';

/** Who failed, for the messages and `details`. */
export interface UpstreamFacts {
  /** The provider's name, as settings and docs spell it (`github`, `huggingface`). */
  provider: string;
  /** The setting that holds its key, named when the key is refused. */
  keySetting: string;
  /** The timeout in force, for the message of a timeout. */
  timeoutMs: number;
}

const fail = (facts: UpstreamFacts, message: string, details: Record<string, unknown>, cause?: unknown) =>
  new HttpError('PROVIDER_ERROR', message, {
    details: { provider: facts.provider, upstream_status: null, ...details },
    ...(cause === undefined ? {} : { cause }),
  });

/** A timeout, a refused connection or anything else thrown on the way. The caller's own abort passes as it is. */
export const upstreamThrown = (error: unknown, facts: UpstreamFacts, signal: AbortSignal): unknown => {
  if (signal.aborted) return signal.reason;
  if (error instanceof HttpError) return error;
  if (isTimeoutError(error)) {
    return fail(
      facts,
      `The ${facts.provider} provider did not answer within ${facts.timeoutMs} ms.`,
      { reason: 'timeout' },
      error,
    );
  }
  if (isNetworkError(error) || error instanceof TypeError) {
    return fail(
      facts,
      `Could not connect to the ${facts.provider} provider.`,
      { reason: 'connection' },
      error,
    );
  }
  return fail(facts, `The call to the ${facts.provider} provider failed.`, { reason: 'connection' }, error);
};

/** An answer whose body is not the JSON the provider documents. */
export const upstreamMalformed = (facts: UpstreamFacts, status: number): HttpError =>
  fail(facts, `The ${facts.provider} provider sent a malformed response.`, {
    upstream_status: status,
    reason: 'malformed',
  });

/** The wait an upstream 429 asks for: `retry-after` in seconds or as a date, else `fallbackMs`. */
export const retryAfterMsOf = (headers: Headers, nowMs: number, fallbackMs = 1000): number => {
  const value = headers.get('retry-after')?.trim() ?? '';
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  if (Number.isFinite(date)) return Math.max(0, date - nowMs);
  return fallbackMs;
};

/** The upstream's 429: ours, with the wait it asked for (at least 1 s). */
export const upstreamRateLimited = (
  facts: UpstreamFacts,
  status: number,
  retryAfterMs: number,
): HttpError => {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new HttpError(
    'RATE_LIMITED',
    `The ${facts.provider} provider is rate limiting this server; retry after ${seconds} s.`,
    {
      details: { provider: facts.provider, upstream_status: status, retry_after_ms: seconds * 1000 },
      headers: { 'Retry-After': String(seconds), 'retry-after-ms': String(seconds * 1000) },
    },
  );
};

/**
 * Any other failed status: the key refused (401, 403) says which setting to check, never the key; a
 * 5xx or anything unexpected is a 502 with the upstream message (cut short).
 */
export const upstreamStatus = (
  facts: UpstreamFacts,
  status: number,
  upstreamMessage: string | undefined,
): HttpError => {
  if (status === 401 || status === 403) {
    return fail(
      facts,
      `The ${facts.provider} provider refused this server's key (upstream status ${status}); check ${facts.keySetting}.`,
      { upstream_status: status },
    );
  }
  const said = upstreamMessage ? `: ${upstreamMessage.slice(0, 300)}` : '.';
  return fail(facts, `The ${facts.provider} provider failed with status ${status}${said}`, {
    upstream_status: status,
  });
};

/** The `message` (or `error`) of a JSON error body, when it has one. */
export const upstreamMessageOf = (body: unknown): string | undefined => {
  if (typeof body !== 'object' || body === null) return typeof body === 'string' && body ? body : undefined;
  const { message, error } = body as { message?: unknown; error?: unknown };
  if (typeof message === 'string') return message;
  if (typeof error === 'string') return error;
  if (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string'
  ) {
    return (error as { message: string }).message;
  }
  return undefined;
};

/** Reads a body as JSON; `undefined` when it is not JSON. */
export const readJson = async (response: Response): Promise<{ ok: true; value: unknown } | { ok: false }> => {
  const text = await response.text();
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
};
