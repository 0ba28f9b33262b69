/**
 * @module A stand-in for `ky` in the script-tag bundle only. The SDK's transport runs its own retries,
 * timeouts and error mapping, and calls ky just to build the URL and body and run one fetch, with
 * `retry: 0`, `timeout: false` and `throwHttpErrors: false`. That is all this does, in a few hundred
 * bytes instead of ky's 8 KB gzip. The ESM build keeps the real ky; `ky-lite.test.ts` runs the SDK
 * transport through this module against a real server.
 */

/** The ky options the SDK's transport passes. */
export interface KyLiteOptions {
  method?: string;
  prefix?: string;
  searchParams?: URLSearchParams;
  json?: unknown;
  body?: BodyInit | null;
  headers?: HeadersInit;
  signal?: AbortSignal | null;
  fetch?: (input: Request | string | URL, init?: RequestInit) => Promise<Response>;
}

/** Sends one request the way ky does for the SDK: prefix joined with one slash, JSON bodies typed. */
export default function ky(input: string, options: KyLiteOptions = {}): Promise<Response> {
  const { prefix, searchParams, json, fetch = globalThis.fetch.bind(globalThis) } = options;
  let url = prefix ? `${prefix.replace(/\/+$/, '')}/${input.replace(/^\/+/, '')}` : input;
  const query = searchParams?.toString();
  if (query) url += (url.includes('?') ? '&' : '?') + query;
  const headers = new Headers(options.headers);
  let body = options.body;
  if (json !== undefined) {
    body = JSON.stringify(json);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  // `duplex` lets a stream body through; like ky, always sent (runtimes without request streams ignore it).
  const init: RequestInit & { duplex: 'half' } = {
    method: options.method,
    headers,
    body,
    signal: options.signal,
    duplex: 'half',
  };
  return fetch(url, init);
}
