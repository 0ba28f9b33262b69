/** @module Parsing untrusted JSON with bounds on its depth, from HTTP bodies and socket messages alike. */
import { HttpError } from './errors.js';

/**
 * The deepest nesting of objects and arrays accepted in JSON from a client. Real requests nest a
 * dozen levels at most; thousands of levels overflow the stack of any recursive code that later
 * walks the value (serialising, validating, copying).
 */
export const maxJsonDepth = 64;

/** Options of {@link parseJson}. */
export interface ParseJsonOptions {
  /** The deepest nesting of objects and arrays; default {@link maxJsonDepth}. */
  maxDepth?: number;
  /** Whether the value must be an object or an array, as in a request body; default false. */
  strict?: boolean;
  /** How the text is named in error messages; default `Request body`. */
  what?: string;
}

/**
 * The nesting depth of a JSON text, counting only brackets outside strings, or `Infinity` as soon as
 * it passes `limit` (so a hostile text is not scanned to its end). Runs before `JSON.parse`, whose
 * own recursion is deep enough to build values that nothing else can walk.
 */
export const jsonDepth = (text: string, limit = Number.POSITIVE_INFINITY): number => {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return Number.POSITIVE_INFINITY;
      }
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return deepest;
};

/**
 * Parses JSON sent by a client. Throws a 400 `BAD_REQUEST` {@link HttpError} when the text is not
 * JSON (naming the position), nests deeper than `maxDepth`, or, with `strict`, is not an object or
 * an array.
 *
 * @example
 * const body = parseJson(text, { strict: true }); // throws HttpError 400 on '{"a":' or 65 nested arrays
 */
export const parseJson = (text: string, options: ParseJsonOptions = {}): unknown => {
  const maxDepth = options.maxDepth ?? maxJsonDepth;
  const what = options.what ?? 'Request body';
  if (jsonDepth(text, maxDepth) > maxDepth) {
    throw new HttpError('BAD_REQUEST', `${what} nests deeper than ${maxDepth} levels.`, {
      details: { max_depth: maxDepth },
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(reason)?.[1];
    const where = /line (\d+) column (\d+)/.exec(reason);
    const details: Record<string, unknown> = {};
    if (position !== undefined) details.position = Number(position);
    if (where) {
      details.line = Number(where[1]);
      details.column = Number(where[2]);
    }
    const suffix = position === undefined ? '' : ` (at position ${position})`;
    throw new HttpError('BAD_REQUEST', `${what} is not valid JSON${suffix}: ${reason}`, {
      details,
      cause: error,
    });
  }
  if (options.strict && (typeof value !== 'object' || value === null)) {
    throw new HttpError('BAD_REQUEST', `${what} is not valid JSON: it must be an object or an array.`);
  }
  return value;
};
