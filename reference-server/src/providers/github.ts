/**
 * @module The GitHub proxy's client: GitHub's REST API over ky, with the server's key, the caller's
 * conditional request passed on, and GitHub's answers and failures mapped to ours.
 */
import type { GitHubAnswer, GitHubClient, GitHubRateLimit, GitHubRead } from '@cartrita/engine';
import ky from 'ky';
import { Secret } from '../config/secret.js';
import { HttpError } from '../http-error.js';
import { callProvider, type ProviderCaller } from './call.js';
import {
  readJson,
  retryAfterMsOf,
  type UpstreamFacts,
  upstreamMalformed,
  upstreamMessageOf,
  upstreamRateLimited,
  upstreamStatus,
  upstreamThrown,
} from './upstream-failure.js';

/** Options of {@link createGitHubClient}. */
export interface GitHubClientOptions {
  /** The token sent as `Authorization: Bearer`; never logged or passed on. */
  apiKey: string | Secret;
  /** GitHub's API; default `https://api.github.com` (GitHub Enterprise: `https://HOST/api/v3`). */
  baseURL?: string;
  /** The longest wait for a whole answer, in milliseconds; default 30000. */
  timeoutMs?: number;
  /** A `fetch` to use instead of the global one. */
  fetch?: typeof fetch;
  /** Where the call runs through (limits, caching, metrics, tracing); default as it is. */
  call?: ProviderCaller;
  /** The clock, for `Retry-After` of a spent budget; default `Date.now`. */
  now?: () => number;
}

/** The API version the proxy is written against, sent on every call as GitHub asks. */
export const gitHubApiVersion = '2022-11-28';
const defaultBaseURL = 'https://api.github.com';

/**
 * Creates the GitHub client of the proxy. GitHub's failures become ours: 404 → 404 `NOT_FOUND`; 422 (a
 * search GitHub rejects) → 422 `VALIDATION_ERROR`; 429, or 403 with the budget spent → 429
 * `RATE_LIMITED` with `Retry-After` until GitHub's reset; 401/403 otherwise → 502 naming
 * `GITHUB_API_KEY`; 5xx, timeouts, lost connections and answers that are not JSON → 502 `PROVIDER_ERROR`.
 */
export const createGitHubClient = (options: GitHubClientOptions): GitHubClient => {
  const apiKey = options.apiKey instanceof Secret ? options.apiKey.reveal() : options.apiKey;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const now = options.now ?? Date.now;
  const call = options.call ?? callProvider;
  const facts: UpstreamFacts = { provider: 'github', keySetting: 'GITHUB_API_KEY', timeoutMs };
  const http = ky.create({
    prefix: options.baseURL ?? defaultBaseURL,
    timeout: timeoutMs,
    retry: 0,
    throwHttpErrors: false,
    headers: {
      Accept: 'application/vnd.github+json',
      Authorization: `Bearer ${apiKey}`,
      'X-GitHub-Api-Version': gitHubApiVersion,
      'User-Agent': 'cartrita-server',
    },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  const read = async ({
    path,
    query,
    ifNoneMatch,
    ifModifiedSince,
    signal,
  }: GitHubRead): Promise<GitHubAnswer> => {
    const searchParams: Record<string, string> = {};
    for (const [key, value] of Object.entries(query))
      if (value !== undefined) searchParams[key] = String(value);
    let response: Response;
    try {
      response = await http.get(path.replace(/^\//, ''), {
        searchParams,
        signal,
        headers: {
          ...(ifNoneMatch ? { 'If-None-Match': ifNoneMatch } : {}),
          ...(ifModifiedSince ? { 'If-Modified-Since': ifModifiedSince } : {}),
        },
      });
    } catch (error) {
      throw upstreamThrown(error, facts, signal);
    }
    const rateLimit = rateLimitOf(response.headers);
    const kept = {
      ...optional('etag', response.headers.get('etag')),
      ...optional('lastModified', response.headers.get('last-modified')),
      ...(rateLimit ? { rateLimit } : {}),
    };
    if (response.status === 304) return { status: 304, ...kept };
    const body = await readJson(response).catch((error: unknown) => {
      throw upstreamThrown(error, facts, signal);
    });
    if (response.ok) {
      if (!body.ok) throw upstreamMalformed(facts, response.status);
      return { status: 200, body: body.value, ...kept, ...optional('link', response.headers.get('link')) };
    }
    throw failureOf(response, body.ok ? body.value : undefined, rateLimit);
  };

  const failureOf = (
    response: Response,
    body: unknown,
    rateLimit: GitHubRateLimit | undefined,
  ): HttpError => {
    const { status } = response;
    const message = upstreamMessageOf(body);
    const spent = rateLimit?.remaining === 0;
    if (status === 429 || (status === 403 && (spent || response.headers.has('retry-after')))) {
      // GitHub's secondary limits send Retry-After; a spent primary budget sends its reset time.
      const untilReset = rateLimit ? rateLimit.reset * 1000 - now() : 60_000;
      return upstreamRateLimited(facts, status, retryAfterMsOf(response.headers, now(), untilReset));
    }
    if (status === 404) {
      return new HttpError(
        'NOT_FOUND',
        'GitHub has nothing at this path, or the server’s key cannot see it.',
        {
          details: { provider: 'github', upstream_status: 404 },
        },
      );
    }
    if (status === 422) {
      return HttpError.validation(
        [{ path: 'q', message: message ?? 'GitHub rejected the query' }],
        `GitHub rejected the request: ${message ?? 'invalid query'}`,
      );
    }
    return upstreamStatus(facts, status, message);
  };

  return {
    // Not cached here: GitHub's own ETags answer repeated reads, and a 304 costs no budget.
    read: (request) =>
      call({ provider: 'github', operation: 'proxy', signal: request.signal }, () => read(request)),
  };
};

/** GitHub's `x-ratelimit-*` headers, when all of limit, remaining and reset are there. */
export const rateLimitOf = (headers: Headers): GitHubRateLimit | undefined => {
  const number = (name: string) => {
    const value = Number(headers.get(name));
    return headers.has(name) && Number.isFinite(value) ? value : undefined;
  };
  const limit = number('x-ratelimit-limit');
  const remaining = number('x-ratelimit-remaining');
  const reset = number('x-ratelimit-reset');
  if (limit === undefined || remaining === undefined || reset === undefined) return undefined;
  const used = number('x-ratelimit-used');
  const resource = headers.get('x-ratelimit-resource');
  return {
    limit,
    remaining,
    reset,
    ...(used === undefined ? {} : { used }),
    ...(resource ? { resource } : {}),
  };
};

const optional = <K extends string>(key: K, value: string | null): { [P in K]?: string } =>
  (value ? { [key]: value } : {}) as { [P in K]?: string };
