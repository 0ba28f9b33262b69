/** @module The `context` section as the files pipeline reads it: how text is chunked and how much joins a prompt. */
import type { ConfigService } from './service.js';

/** How uploaded files become prompt context, from the `context` configuration section. */
export interface ContextSettings {
  /** Characters in one chunk. */
  chunkSize: number;
  /** Characters two neighbouring chunks share; smaller than `chunkSize`. */
  chunkOverlap: number;
  /** Most chunks that join one prompt. */
  maxChunksPerPrompt: number;
  /** Most characters of chunks in one prompt. */
  maxContextChars: number;
}

/**
 * The `context` section in effect now (its defaults until the configuration was first read).
 *
 * @example
 * const { chunkSize, chunkOverlap } = contextSettings(engine.config);
 */
export const contextSettings = (config: ConfigService): ContextSettings => {
  const section = config.current('context');
  return {
    chunkSize: section.chunk_size,
    chunkOverlap: section.chunk_overlap,
    maxChunksPerPrompt: section.max_chunks_per_prompt,
    maxContextChars: section.max_context_chars,
  };
};
