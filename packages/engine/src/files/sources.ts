/**
 * @module File-aware chat: the passages of the caller's files a reply may draw on, found by the
 * message's words, and how they reach the provider (a system message for that turn only).
 */
import type { FileSource } from '@cartrita/contracts';

/** The most passages a reply is given. */
export const maxSources = 3;

/** The first line of the system message that carries the passages. */
export const sourcesHeading = 'Passages from the user’s files, best first (name the file you use):';

/**
 * The system message a provider gets for a file-aware turn: the heading, then one line per passage,
 * `[n] <filename>: <text>` (chunks hold no line breaks).
 */
export const sourcesPrompt = (sources: readonly FileSource[]): string =>
  [sourcesHeading, ...sources.map((source, i) => `[${i + 1}] ${source.filename}: ${source.chunk}`)].join(
    '\n',
  );

/** The best passage of a {@link sourcesPrompt}, or `undefined` when the text is not one. */
export const bestSource = (prompt: string): { filename: string; chunk: string } | undefined => {
  const [heading, first] = prompt.split('\n');
  if (heading !== sourcesHeading || first === undefined) return undefined;
  const match = /^\[1\] (.*?): (.*)$/.exec(first);
  return match ? { filename: match[1] as string, chunk: match[2] as string } : undefined;
};
