/**
 * @module The search area's rules (seed 000): `local` ranks the caller's file chunks offline; a web
 * provider answers through its port, and one without its key is a 503, never a call elsewhere.
 */
import type { SearchRequest, SearchResponse } from '@cartrita/contracts';
import { HttpError } from '../errors.js';
import type { FileService } from '../files/service.js';
import { directCall, type UpstreamCall } from '../providers/upstream-call.js';
import type { WebSearchProvider } from './web-provider.js';

/** The longest snippet a result carries, in characters. */
export const maxSnippetLength = 300;

const snippetOf = (text: string): string =>
  text.length <= maxSnippetLength ? text : `${text.slice(0, maxSnippetLength - 1).trimEnd()}…`;

/** `POST /api/search`. */
export class SearchService {
  readonly #files: FileService;
  readonly #web: ReadonlyMap<string, WebSearchProvider>;
  readonly #call: UpstreamCall;

  /**
   * `web`: the configured web providers (a provider left out answers 503); `call`: what every web
   * search goes through (limits, cache, spans), default nothing.
   */
  constructor(files: FileService, web: readonly WebSearchProvider[] = [], call: UpstreamCall = directCall) {
    this.#files = files;
    this.#web = new Map(web.map((provider) => [provider.name, provider]));
    this.#call = call;
  }

  /** Searches for the caller: their files with `local`, the web with a configured web provider. */
  async search(request: SearchRequest, userId: string, signal?: AbortSignal): Promise<SearchResponse> {
    const limit = request.limit ?? 10;
    if (request.provider !== 'local') {
      const provider = this.#web.get(request.provider);
      if (!provider) {
        throw new HttpError(
          'PROVIDER_NOT_CONFIGURED',
          `The ${request.provider} search provider has no API key configured here.`,
          { details: { provider: request.provider } },
        );
      }
      const results = await this.#call(
        {
          provider: provider.name,
          operation: 'search',
          cache: { request: { query: request.query, limit } },
          ...(signal ? { signal } : {}),
        },
        () => provider.search({ query: request.query, limit, ...(signal ? { signal } : {}) }),
      );
      return {
        query: request.query,
        provider: request.provider,
        results: results.slice(0, limit).map((result) => ({ ...result, snippet: snippetOf(result.snippet) })),
      };
    }
    const hits = await this.#files.search(userId, request.query, { limit });
    return {
      query: request.query,
      provider: 'local',
      results: hits.map((hit) => ({
        title: hit.filename,
        url: `/files/status/${encodeURIComponent(hit.file_id)}`,
        snippet: snippetOf(hit.text),
        score: hit.score,
      })),
    };
  }
}
