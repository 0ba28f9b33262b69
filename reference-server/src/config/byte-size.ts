/** @module Sizes written as `1mb`, `512kb`, `20 MiB` or a plain number of bytes. */

const units: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1024,
  kib: 1024,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

/**
 * Parses a size into bytes. Units are binary (`1kb` is 1024 bytes), as in Express's `limit` option;
 * a bare number is bytes. Returns `undefined` when the text is not a size.
 *
 * @example
 * parseByteSize('1mb'); // 1048576
 * parseByteSize('20 MiB'); // 20971520
 */
export const parseByteSize = (text: string | number): number | undefined => {
  if (typeof text === 'number') return Number.isSafeInteger(text) && text >= 0 ? text : undefined;
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  if (!match) return undefined;
  const factor = units[(match[2] || 'b').toLowerCase()];
  if (factor === undefined) return undefined;
  const bytes = Math.floor(Number(match[1]) * factor);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
};
