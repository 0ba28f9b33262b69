/** @module The words of a search query, as every implementation of the search port reads them. */

/** The most words a query is searched by; the rest are left out. */
export const maxQueryTerms = 32;

/**
 * The words of a text in lower case: runs of letters and digits (any script), at most
 * {@link maxQueryTerms} of them, each once. Punctuation and operators are not words, so a query can
 * never be read as FTS5 or `tsquery` syntax.
 *
 * @example
 * queryTerms('What is "Zebra-42"?'); // ['what', 'is', 'zebra', '42']
 */
export const queryTerms = (text: string): string[] => {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words)].slice(0, maxQueryTerms);
};
