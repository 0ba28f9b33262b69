/** @module Splitting extracted text into overlapping chunks for the search index. */

/** The chunker's settings, in one place: characters per chunk and characters two neighbours share. */
export const chunking = {
  /** The most characters a chunk holds. */
  size: 1000,
  /** How many characters of a chunk's end the next one starts with, so a sentence cut in two is found whole. */
  overlap: 200,
} as const;

/**
 * Splits text into chunks of at most `size` characters, each starting `size - overlap` characters after
 * the previous one, and ending at a whitespace when there is one in the chunk's last fifth. Runs of
 * whitespace are folded first; text with nothing but whitespace has no chunks.
 *
 * @example
 * chunkText('a '.repeat(2000)).length; // 5
 */
export const chunkText = (
  text: string,
  size: number = chunking.size,
  overlap: number = chunking.overlap,
): string[] => {
  if (overlap >= size) throw new RangeError('The overlap must be smaller than the chunk size');
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length === 0) return [];
  const chunks: string[] = [];
  let start = 0;
  while (start < clean.length) {
    let end = Math.min(start + size, clean.length);
    if (end < clean.length) {
      const space = clean.lastIndexOf(' ', end);
      if (space > start + size * 0.8) end = space;
    }
    chunks.push(clean.slice(start, end).trim());
    if (end >= clean.length) break;
    start = Math.max(end - overlap, start + 1);
  }
  return chunks.filter((chunk) => chunk.length > 0);
};
