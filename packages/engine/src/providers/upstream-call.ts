/**
 * @module The one door the search and voice areas call their upstream providers through, so limits,
 * caching, spans and metrics can wrap every such call in one place.
 */

/** What an upstream call is: who is called, for what, and how it may be cached. */
export interface UpstreamCallSpec {
  /** The provider: `tavily`, `deepgram`, `openai`. */
  provider: string;
  /** What is asked: `search`, `transcription`. */
  operation: string;
  /** The model asked for, when there is one. */
  model?: string;
  /** The caller's cancellation. */
  signal?: AbortSignal;
  /** Set when identical requests may share an answer: the request in the form that decides it. */
  cache?: { request: unknown };
}

/** Runs one upstream call; a wrapper may wait for the provider's turn, answer from a cache, or time it. */
export type UpstreamCall = <T>(spec: UpstreamCallSpec, run: () => Promise<T>) => Promise<T>;

/** Calls the provider directly, with nothing around it. */
export const directCall: UpstreamCall = (_spec, run) => run();
