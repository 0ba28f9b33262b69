/** @module The one paging rule of every list: ChatKit's `after` cursor, page size and `has_more`. */
/** Order of a list: oldest first (`asc`) or newest first (`desc`). */
export type ListOrder = 'asc' | 'desc';

/** Paging options shared by every list method. */
export interface ListOptions {
  /**
   * Most rows to return; a positive integer.
   * @default 20
   */
  limit?: number;
  /** @default 'desc' */
  order?: ListOrder;
  /**
   * Cursor: the id of the last row of the previous page (that page's `after`). Rows strictly beyond it, in
   * the requested order, are returned. An id that does not exist (or is not the caller's) yields an
   * empty page, not an error: a cursor is a position, and a deleted row leaves nothing after it to show.
   */
  after?: string;
}

/**
 * One page of a list, in ChatKit's shape: `after` is the id of the last returned row (the cursor to pass
 * back for the next page) and is absent when the page is empty.
 */
export interface Page<T> {
  data: T[];
  has_more: boolean;
  after?: string;
}

/** ChatKit's page size when the client sends none. */
export const DEFAULT_PAGE_SIZE = 20;

/**
 * Checks a page size and returns it.
 *
 * @throws {RangeError} when it is not a positive integer.
 */
export function pageSize(limit: number | undefined): number {
  const size = limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`Page size must be a positive integer: ${size}`);
  return size;
}

/** Turns up to `limit + 1` fetched rows into a page of at most `limit`. */
export function toPage<T>(rows: T[], limit: number, idOf: (row: T) => string): Page<T> {
  const has_more = rows.length > limit;
  const data = has_more ? rows.slice(0, limit) : rows;
  const last = data.at(-1);
  return last === undefined ? { data, has_more } : { data, has_more, after: idOf(last) };
}
