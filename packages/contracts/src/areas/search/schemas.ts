/** @module Search (seed 000): the web through a provider, or the caller's own files offline. */
import * as z from 'zod/mini';

/** Where a search looks: `tavily` (the web; needs its key) or `local` (the caller's files and memories, offline). */
export const SearchProvider = z.enum(['tavily', 'local']);
export type SearchProvider = z.infer<typeof SearchProvider>;

/** `POST /api/search`. */
export const SearchRequest = z.object({
  query: /*#__PURE__*/ z.string().check(z.minLength(1), z.maxLength(1000)),
  provider: z._default(SearchProvider, 'tavily'),
  /** At most this many results; default 10. */
  limit: z.optional(/*#__PURE__*/ z.int().check(z.gte(1), z.lte(50))),
});
export type SearchRequest = z.infer<typeof SearchRequest>;

/**
 * One result, best first. For `tavily`, a web page: `snippet` is Tavily's extract of it and `score`
 * Tavily's relevance, 0 to 1. For `local`, a file chunk (`title` the file's name, `url` the path of
 * its status, `snippet` the chunk) or a memory (`title` `Memory (<type>)`, `url` `/memory/{id}`,
 * `snippet` its content); `score` is 0 to 1 (a chunk's relative to the best chunk, a memory's the
 * share of the query's words it holds).
 */
export const SearchResult = z.object({
  title: z.string(),
  url: z.string(),
  snippet: z.string(),
  score: z.number(),
});
export type SearchResult = z.infer<typeof SearchResult>;

/** The answer of `POST /api/search`. */
export const SearchResponse = z.object({
  query: z.string(),
  provider: SearchProvider,
  results: z.array(SearchResult),
});
export type SearchResponse = z.infer<typeof SearchResponse>;
