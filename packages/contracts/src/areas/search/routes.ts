import { defineRoute } from '../../route.js';
import { SearchRequest, SearchResponse } from './schemas.js';

/** Search (seed 000). */
export const searchRoutes = [
  defineRoute({
    id: 'search.query',
    method: 'POST',
    path: '/api/search',
    tag: 'search',
    summary: 'Search the web, or the caller’s own files offline',
    description:
      '`provider: "local"` ranks the chunks of the caller’s processed files and the caller’s memories for ' +
      'the query’s words, offline. The default provider, `tavily`, searches the web through Tavily and ' +
      'answers 503 `PROVIDER_NOT_CONFIGURED` where it has no key; Tavily’s failures are 502 ' +
      '`PROVIDER_ERROR`, its rate limit a 429 with `Retry-After`.',
    auth: { scope: 'search' },
    body: SearchRequest,
    response: { json: SearchResponse },
    errors: ['PROVIDER_NOT_CONFIGURED', 'PROVIDER_ERROR'],
  }),
] as const;
