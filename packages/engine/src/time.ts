/** @module Times as every repository stores them: ISO 8601 in UTC with milliseconds, comparable as text. */

/**
 * Normalizes a time to the stored form (`2026-11-21T22:30:04.957Z`). A string without a zone
 * designator (ChatKit's official server sends naive times) is read as UTC.
 *
 * @throws {RangeError} when the value is not a valid time.
 */
export function toIso(value: string | Date): string {
  if (value instanceof Date) return value.toISOString();
  const hasZone = /(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$/.test(value);
  const date = new Date(hasZone || !value.includes('T') ? value : `${value}Z`);
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not a valid time: ${value}`);
  return date.toISOString();
}
