/** @module The web search provider port: a query in, normalised results out. */
import type { SearchResult } from '@cartrita/contracts';

/** What a web search is asked. */
export interface WebSearchRequest {
  query: string;
  /** At most this many results. */
  limit: number;
  /** Aborted when the client goes away: the provider must stop its upstream call. */
  signal?: AbortSignal;
}

/**
 * A web search backend. It answers results already normalised to `{title, url, snippet, score}`,
 * best first. Failures are `HttpError`s: `PROVIDER_ERROR` (502) for what the upstream service did
 * wrong, `RATE_LIMITED` (429, with `Retry-After`) when it limits this server.
 */
export interface WebSearchProvider {
  readonly name: 'tavily';
  search(request: WebSearchRequest): Promise<SearchResult[]>;
}
