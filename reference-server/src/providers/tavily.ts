/**
 * @module The `tavily` web search provider: Tavily's REST search API (`POST <base>/search`, Bearer
 * auth, snake_case JSON), its results normalised to `{title, url, snippet, score}`.
 */
import type { SearchResult } from '@cartrita/contracts';
import type { WebSearchProvider } from '@cartrita/engine';
import * as z from 'zod';
import { Secret } from '../config/secret.js';
import { createUpstreamHttp } from './upstream-http.js';

/** How deep Tavily searches: `basic` costs one credit, `advanced` two and answers more relevant snippets. */
export type TavilySearchDepth = 'basic' | 'advanced';

/** Options of {@link createTavilyProvider}. */
export interface TavilyProviderOptions {
  /** `TAVILY_API_KEY`: sent upstream only. */
  apiKey: string | Secret;
  /** Default `https://api.tavily.com`. */
  baseUrl?: string;
  /** Default `basic`. */
  searchDepth?: TavilySearchDepth;
  /** The longest wait for an answer, in milliseconds; default 30 000. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** Tavily answers at most this many results. */
export const tavilyMaxResults = 20;

/** The part of Tavily's search answer we read (its wire format; other fields are ignored). */
export const TavilySearchAnswer = z.object({
  query: z.string(),
  results: z.array(
    z.object({
      title: z.string(),
      url: z.string(),
      content: z.string(),
      score: z.number(),
    }),
  ),
});

/** The body Tavily's search takes: only what we send. */
export interface TavilySearchBody {
  query: string;
  max_results: number;
  search_depth: TavilySearchDepth;
  include_answer: false;
  include_raw_content: false;
  include_images: false;
}

/** Tavily's error body: `{"detail": {"error": "..."}}`. */
const errorMessage = (body: unknown): string | undefined => {
  const detail = (body as { detail?: unknown } | undefined)?.detail;
  if (typeof detail === 'string') return detail;
  const error = (detail as { error?: unknown } | undefined)?.error;
  return typeof error === 'string' ? error : undefined;
};

/**
 * Creates the `tavily` provider. Results come best first (Tavily's `score`, 0 to 1), at most
 * {@link tavilyMaxResults}; `snippet` is Tavily's `content`.
 *
 * @example
 * const tavily = createTavilyProvider({ apiKey: config.providers.tavily.apiKey });
 * const results = await tavily.search({ query: 'harbour tides', limit: 5 });
 */
export const createTavilyProvider = (options: TavilyProviderOptions): WebSearchProvider => {
  const apiKey = options.apiKey instanceof Secret ? options.apiKey.reveal() : options.apiKey;
  const http = createUpstreamHttp({
    provider: 'tavily',
    baseUrl: (options.baseUrl ?? 'https://api.tavily.com').replace(/\/+$/, ''),
    headers: { authorization: `Bearer ${apiKey}` },
    timeoutMs: options.timeoutMs ?? 30_000,
    keySetting: 'TAVILY_API_KEY',
    secrets: [apiKey],
    errorMessage,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return {
    name: 'tavily',
    async search({ query, limit, signal }): Promise<SearchResult[]> {
      const body: TavilySearchBody = {
        query,
        max_results: Math.min(limit, tavilyMaxResults),
        search_depth: options.searchDepth ?? 'basic',
        include_answer: false,
        include_raw_content: false,
        include_images: false,
      };
      const answer = await http.post(
        '/search',
        { json: body, ...(signal ? { signal } : {}) },
        TavilySearchAnswer,
      );
      return answer.results
        .map((result) => ({
          title: result.title,
          url: result.url,
          snippet: result.content,
          score: result.score,
        }))
        .sort((a, b) => b.score - a.score);
    },
  };
};
