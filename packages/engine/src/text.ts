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

/**
 * Text that grows a piece at a time, such as a reply streamed token by token.
 *
 * `text += piece` makes a rope: every piece adds a node of its own (32 bytes in V8) that lives as
 * long as the text does, so a 2,600-token reply held that way is 80 KB of nodes for 15 KB of
 * text. This keeps the recent pieces in a list and joins them into one flat string every
 * `flushEvery` pieces, which bounds the nodes at the cost of copying the text once per
 * `flushEvery` pieces.
 */
export class GrowingText {
  #pieces: string[] = [];
  readonly #flushEvery: number;

  constructor(initial = '', flushEvery = 64) {
    if (initial !== '') this.#pieces.push(initial);
    this.#flushEvery = flushEvery;
  }

  /** Adds a piece at the end. */
  append(piece: string): void {
    this.#pieces.push(piece);
    if (this.#pieces.length > this.#flushEvery) this.#pieces = [this.#pieces.join('')];
  }

  /** The whole text so far. */
  toString(): string {
    if (this.#pieces.length > 1) this.#pieces = [this.#pieces.join('')];
    return this.#pieces[0] ?? '';
  }
}
