/** The current time as stored: ISO-8601 in UTC with millisecond precision. */
export function nowIso(): string {
  return new Date().toISOString();
}

/**
 * Normalizes a time to the stored form (`2026-11-21T22:30:04.957Z`), so stored times compare as text.
 * A string without a zone designator (ChatKit's official server sends naive times) is read as UTC.
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

/** Parses a JSON column. */
export function fromJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

/** Serializes a value for a JSON column. */
export function toJson(value: unknown): string {
  return JSON.stringify(value);
}
