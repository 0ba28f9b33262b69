/**
 * @module The search area's rules (seed 000): `local` ranks the caller's file chunks offline; a web
 * provider without its key is a 503, never a call elsewhere.
 */
import type { SearchRequest, SearchResponse } from '@cartrita/contracts';
import { HttpError } from '../errors.js';
import type { FileService } from '../files/service.js';

/** The longest snippet a result carries, in characters. */
export const maxSnippetLength = 300;

const snippetOf = (text: string): string =>
  text.length <= maxSnippetLength ? text : `${text.slice(0, maxSnippetLength - 1).trimEnd()}…`;

/** `POST /api/search`. */
export class SearchService {
  readonly #files: FileService;

  constructor(files: FileService) {
    this.#files = files;
  }

  /** Searches for the caller: their files with `local`; `tavily` has no key here (503). */
  async search(request: SearchRequest, userId: string): Promise<SearchResponse> {
    if (request.provider !== 'local') {
      throw new HttpError(
        'PROVIDER_NOT_CONFIGURED',
        `The ${request.provider} search provider has no API key configured here.`,
        { details: { provider: request.provider } },
      );
    }
    const hits = await this.#files.search(userId, request.query, { limit: request.limit ?? 10 });
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
