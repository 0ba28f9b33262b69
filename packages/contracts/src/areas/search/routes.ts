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
      '`provider: "local"` ranks the chunks of the caller’s processed files for the query’s words, offline. ' +
      'The default provider, `tavily`, answers 503 `PROVIDER_NOT_CONFIGURED` where it has no key.',
    auth: { scope: 'search' },
    body: SearchRequest,
    response: { json: SearchResponse },
    errors: ['PROVIDER_NOT_CONFIGURED', 'PROVIDER_ERROR'],
  }),
] as const;
