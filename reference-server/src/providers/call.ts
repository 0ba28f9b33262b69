/**
 * @module The one door of every call to an external provider (GitHub, Hugging Face, OpenAI computer
 * use): per-provider limits, caching, metrics and tracing wrap calls here, in one place.
 */

/** The external providers whose calls pass through {@link callProvider}. */
export type ExternalProvider = 'github' | 'huggingface' | 'openai';

/**
 * What a call is, for the wrapper, in the fields a provider-call wrapper takes: the provider (its limit,
 * key and metrics), the operation (`proxy`, `inference`, `computer_use`), the model, the caller's signal
 * (which also ends a wait for a turn), and, for calls whose identical requests may share an answer, what
 * decides the answer.
 */
export interface ProviderCall {
  provider: ExternalProvider;
  operation: 'proxy' | 'inference' | 'computer_use';
  /** The model, for providers that have models. */
  model?: string;
  signal?: AbortSignal;
  /** Set when identical requests may share a cached answer: the request as sent, and its temperature. */
  cache?: { request: unknown; temperature?: number };
}

/** Runs one call to an external provider. */
export type ProviderCaller = <T>(call: ProviderCall, run: () => Promise<T>) => Promise<T>;

/** Runs the call as it is: the default when no wrapper is configured. */
export const callProvider: ProviderCaller = (_call, run) => run();
