/** @module The port of the GitHub proxy: one read of GitHub's REST API, conditional when asked. */

/** GitHub's rate-limit budget, from its `x-ratelimit-*` headers. */
export interface GitHubRateLimit {
  /** `x-ratelimit-limit`: requests allowed in the window. */
  limit: number;
  /** `x-ratelimit-remaining`: requests left in the window. */
  remaining: number;
  /** `x-ratelimit-reset`: when the window resets, in seconds since the epoch. */
  reset: number;
  /** `x-ratelimit-used`, when sent. */
  used?: number;
  /** `x-ratelimit-resource` (`core`, `search`, ...), when sent. */
  resource?: string;
}

/** One read of GitHub's API. */
export interface GitHubRead {
  /** GitHub's path, such as `/repos/octocat/hello-world/issues`, already encoded. */
  path: string;
  /** Query parameters, as GitHub names them; unset ones are left out. */
  query: Readonly<Record<string, string | number | undefined>>;
  /** The caller's `If-None-Match`, passed on so an unchanged resource answers 304. */
  ifNoneMatch?: string;
  /** The caller's `If-Modified-Since`, passed on likewise. */
  ifModifiedSince?: string;
  signal: AbortSignal;
}

/** GitHub's answer: its JSON, or 304 when the caller's `If-None-Match` still matches. */
export type GitHubAnswer =
  | {
      status: 200;
      body: unknown;
      etag?: string;
      lastModified?: string;
      link?: string;
      rateLimit?: GitHubRateLimit;
    }
  | { status: 304; etag?: string; lastModified?: string; rateLimit?: GitHubRateLimit };

/**
 * Reads GitHub's REST API. The server's implementation sends its own key; a failure is an `HttpError`
 * (404 `NOT_FOUND`, 422 for a query GitHub rejects, 429 `RATE_LIMITED`, 502 `PROVIDER_ERROR`).
 */
export interface GitHubClient {
  read(request: GitHubRead): Promise<GitHubAnswer>;
}
