/**
 * Headers as callers may write them: anything `Headers` accepts, or a record whose `null` and `undefined`
 * values remove the header set by an earlier layer (defaults, then the transport, then the call).
 */
export type HeadersInput = HeadersInit | Record<string, string | null | undefined>;

/** The longest wait a server's `Retry-After` or `retry-after-ms` may impose, in milliseconds. */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Merges header layers in order; later layers win, and a `null` or `undefined` value deletes the header.
 * Names are case-insensitive, as `Headers` makes them.
 */
export const mergeHeaders = (...layers: Array<HeadersInput | undefined>): Headers => {
  const merged = new Headers();
  for (const layer of layers) {
    if (layer === undefined) continue;
    // Through `Headers` for what it takes, so that repeated names in a list of pairs combine.
    const entries =
      layer instanceof Headers || Array.isArray(layer) ? new Headers(layer) : Object.entries(layer);
    for (const [name, value] of entries) {
      if (value === null || value === undefined) merged.delete(name);
      else merged.set(name, value);
    }
  }
  return merged;
};

/**
 * The delay a response asks for before the next attempt, in milliseconds: `retry-after-ms` first (a
 * non-standard header some gateways send), then `Retry-After` as seconds or an HTTP date. Returns
 * `undefined` when neither is present or parseable; caps the result at {@link MAX_RETRY_AFTER_MS}.
 */
export const parseRetryAfter = (headers: Headers, now: number = Date.now()): number | undefined => {
  const decimal = /^\d+(\.\d+)?$/;
  const ms = headers.get('retry-after-ms')?.trim();
  if (ms && decimal.test(ms)) return Math.min(Number(ms), MAX_RETRY_AFTER_MS);

  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (decimal.test(value)) return Math.min(Number(value) * 1000, MAX_RETRY_AFTER_MS);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, date - now), MAX_RETRY_AFTER_MS);
};
