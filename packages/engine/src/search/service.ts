/**
 * @module The search area's rules (seed 000): `local` ranks the caller's file chunks offline; a web
 * provider answers through its port, and one without its key is a 503, never a call elsewhere.
 */
import type { SearchRequest, SearchResponse } from '@cartrita/contracts';
import { HttpError } from '../errors.js';
import type { FileService } from '../files/service.js';
import { searchMemories } from '../memory/recall.js';
import type { MemoryStore } from '../memory/repositories.js';
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
  readonly #memories: MemoryStore | undefined;

  /**
   * `web`: the configured web providers (a provider left out answers 503); `call`: what every web
   * search goes through (limits, cache, spans), default nothing; `memories`: where `local` also
   * looks (without it, `local` searches files only).
   */
  constructor(
    files: FileService,
    web: readonly WebSearchProvider[] = [],
    call: UpstreamCall = directCall,
    memories?: MemoryStore,
  ) {
    this.#files = files;
    this.#memories = memories;
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
    return {
      query: request.query,
      provider: 'local',
      results: await this.#local(userId, request.query, limit),
    };
  }

  /**
   * The caller's file chunks and memories for a query, as one list best first. Each source ranks its
   * own hits; file scores are put on the memories' 0-to-1 scale by dividing by the best file hit's
   * (whose scale depends on the database), so the best chunk scores 1, as does a memory holding every
   * word of the query.
   */
  async #local(userId: string, query: string, limit: number): Promise<SearchResponse['results']> {
    const hits = await this.#files.search(userId, query, { limit });
    const best = hits[0]?.score ?? 0;
    const files = hits.map((hit, rank) => ({
      title: hit.filename,
      url: `/files/status/${encodeURIComponent(hit.file_id)}`,
      snippet: snippetOf(hit.text),
      score: best > 0 ? Math.max(0, hit.score / best) : 1 / (rank + 1),
    }));
    const memories = this.#memories
      ? (await searchMemories(this.#memories, { userId, query, limit })).map(({ memory, score }) => ({
          title: `Memory (${memory.type})`,
          url: `/memory/${encodeURIComponent(memory.id)}`,
          snippet: snippetOf(memory.content),
          score,
        }))
      : [];
    // A stable sort keeps files before memories among equal scores.
    return [...files, ...memories].sort((a, b) => b.score - a.score).slice(0, limit);
  }
}
