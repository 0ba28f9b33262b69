/**
 * @module The one door of every call to an external provider (GitHub, Hugging Face, OpenAI computer
 * use): per-provider limits, caching, metrics and tracing wrap calls here, in one place.
 */

/** The external providers whose calls pass through {@link callProvider}. */
export type ExternalProvider = 'github' | 'huggingface' | 'openai';

/** What a call is, for the wrapper: its provider and an operation name such as `repos.get`. */
export interface ProviderCall {
  provider: ExternalProvider;
  operation: string;
  /** The model, for providers that have models. */
  model?: string;
}

/** Runs one call to an external provider. */
export type ProviderCaller = <T>(call: ProviderCall, run: () => Promise<T>) => Promise<T>;

/** Runs the call as it is: the default when no wrapper is configured. */
export const callProvider: ProviderCaller = (_call, run) => run();
