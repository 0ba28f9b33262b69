/** @module Splitting text the way a model streams it. */

/**
 * Splits text into tokens the way a model streams them: words with their leading space, and
 * newlines on their own, so the joined tokens are exactly the text.
 *
 * @example
 * tokenize('Hello there,\nfriend'); // ['Hello', ' there,', '\n', 'friend']
 */
export const tokenize = (text: string): string[] => text.match(/\n|[^\S\n]*[^\s]+/g) ?? [];

/**
 * The tokens of {@link tokenize}, one at a time: a long reply streamed slowly then holds one token in
 * memory, not an array of all of them.
 */
export function* eachToken(text: string): Generator<string> {
  for (const [token] of text.matchAll(/\n|[^\S\n]*[^\s]+/g)) yield token;
}
