/** A value that may stand for one path segment. */
export type PathSegment = string | number;

const encodeSegment = (value: PathSegment, index: number): string => {
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new TypeError(`Path segment ${index} is not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value !== 'string') {
    throw new TypeError(
      `Path segment ${index} must be a string or a number, got ${value === null ? 'null' : typeof value}`,
    );
  }
  if (value === '') throw new TypeError(`Path segment ${index} is an empty string`);
  // URL parsing resolves `.` and `..` as directory steps, even percent-encoded, so no encoding is safe.
  if (value === '.' || value === '..') throw new TypeError(`Path segment ${index} may not be '${value}'`);
  return encodeURIComponent(value);
};

/**
 * Builds a request path with every interpolated value encoded as one segment, so an id can never add a
 * `/`, a `?`, or a `..` step. Empty strings, `.`, `..`, `null` and `undefined` throw instead of producing
 * a path that points somewhere else.
 *
 * @example
 * ```ts
 * path`/api/sessions/${sessionId}/tools/${toolName}`;
 * // sessionId = 'sess 1', toolName = 'a/b' → '/api/sessions/sess%201/tools/a%2Fb'
 * ```
 */
export const path = (strings: TemplateStringsArray, ...values: PathSegment[]): string => {
  let result = strings[0] ?? '';
  for (let index = 0; index < values.length; index++) {
    result += encodeSegment(values[index] as PathSegment, index) + (strings[index + 1] ?? '');
  }
  return result;
};
