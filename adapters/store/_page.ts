import type { Page, PageRequest } from "../../core/ports/page.ts";

/**
 * How many rows to fetch for `page`: one more than asked, to know whether a next page exists.
 *
 * @throws {RangeError} When `limit` is not a positive integer (a caller bug, not a user error).
 */
export function fetchSize(page: PageRequest): number {
  if (!Number.isInteger(page.limit) || page.limit < 1) {
    throw new RangeError(`Cannot list a page of ${page.limit} items: limit must be an integer ≥ 1`);
  }
  return page.limit + 1;
}

/** Turns `limit + 1` rows, newest first, into a page whose cursor is the last item's id. */
export function toPage<T extends { id: string }>(items: T[], page: PageRequest): Page<T> {
  if (items.length <= page.limit) return { data: items, nextCursor: null };
  const data = items.slice(0, page.limit);
  return { data, nextCursor: data[data.length - 1]?.id ?? null };
}
