/** @module The GitHub proxy's rules: where a route reads on GitHub, and what its answer's headers are. */
import { HttpError } from '../errors.js';
import type { GitHubAnswer, GitHubClient, GitHubRateLimit, GitHubRead } from './client.js';

/** The prefix of the proxy's routes; the rest of the path is GitHub's. */
export const gitHubRoutePrefix = '/api/github';

/**
 * GitHub's path of a proxy route: the route's path with its parameters filled (each encoded) and
 * without `/api/github`.
 */
export const gitHubPathOf = (
  routePath: string,
  params: Readonly<Record<string, string | number>> = {},
): string =>
  routePath.slice(gitHubRoutePrefix.length).replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`Missing path parameter "${name}" for ${routePath}`);
    return encodeURIComponent(String(value));
  });

/**
 * The headers of a proxied answer: GitHub's `ETag` and `Last-Modified` (so the caller can ask
 * conditionally next time), its `Link` pagination with GitHub's paths turned into ours, and its rate-limit
 * budget as `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds until the reset, as
 * the server's own limits write it).
 */
export const gitHubAnswerHeaders = (
  answer: GitHubAnswer,
  nowMs: number,
  ourOrigin?: string,
): Record<string, string> => {
  const headers: Record<string, string> = {};
  if (answer.etag) headers.ETag = answer.etag;
  if (answer.lastModified) headers['Last-Modified'] = answer.lastModified;
  if (answer.status === 200 && answer.link && ourOrigin !== undefined)
    headers.Link = ourLink(answer.link, ourOrigin);
  if (answer.rateLimit) Object.assign(headers, rateLimitHeaders(answer.rateLimit, nowMs));
  return headers;
};

/** GitHub's budget in the server's rate-limit header names. */
export const rateLimitHeaders = (rateLimit: GitHubRateLimit, nowMs: number): Record<string, string> => ({
  'RateLimit-Limit': String(rateLimit.limit),
  'RateLimit-Remaining': String(rateLimit.remaining),
  'RateLimit-Reset': String(Math.max(0, Math.ceil(rateLimit.reset - nowMs / 1000))),
});

/** GitHub's `Link` header with each `https://api.github.com/...` target moved under our prefix. */
const ourLink = (link: string, ourOrigin: string): string =>
  link.replace(
    /<https?:\/\/[^/>]+(\/[^>]*)>/g,
    (_, path: string) => `<${ourOrigin}${gitHubRoutePrefix}${path}>`,
  );

/** The GitHub proxy: reads through the configured client, or 503 where the server has no GitHub key. */
export class GitHubService {
  readonly #client: GitHubClient | undefined;

  constructor(client?: GitHubClient) {
    this.#client = client;
  }

  /** Whether the server has a GitHub key. */
  get configured(): boolean {
    return this.#client !== undefined;
  }

  /** Reads GitHub; a 503 `PROVIDER_NOT_CONFIGURED` where no client is configured. */
  read(request: GitHubRead): Promise<GitHubAnswer> {
    if (!this.#client) {
      throw new HttpError(
        'PROVIDER_NOT_CONFIGURED',
        'GitHub is not configured on this server: set GITHUB_API_KEY.',
        {
          details: { provider: 'github' },
        },
      );
    }
    return this.#client.read(request);
  }
}
