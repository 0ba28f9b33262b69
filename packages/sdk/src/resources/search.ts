/** @module @cartrita/sdk/search: search (seed 000): the web through a provider, or your own files offline. */

import { SearchResponse } from '@cartrita/contracts';
import { APIResource, type RequestCallOptions } from '../core/resource.js';
import type { RouteBody, RouteResult } from '../core/route-types.js';

/** `client.search.query()` params: `query`, `provider` (`tavily` by default, or `local`), `limit`. */
export type SearchQueryParams = RouteBody<'search.query'>;
/** `client.search.query()` result: `{query, provider, results: [{title, url, snippet, score}]}`, best first. */
export type SearchQueryResult = RouteResult<'search.query'>;

/**
 * `POST /api/search` (an API key with the `search` scope). `tavily` (the default) searches the web
 * through the server's Tavily key (503 where it has none); `provider: 'local'` ranks the chunks of
 * your processed files and your memories offline.
 *
 * @example
 * ```ts
 * const { results } = await client.search.query({ query: 'harbour opening hours', provider: 'local' });
 * console.log(results[0]?.title, results[0]?.snippet);
 * ```
 */
export class Search extends APIResource {
  /** `POST /api/search`: searches with a provider. */
  query(params: SearchQueryParams, options?: RequestCallOptions): Promise<SearchQueryResult> {
    return this.transport.request({
      method: 'POST',
      path: '/api/search',
      body: params,
      schema: SearchResponse,
      ...options,
    });
  }
}
