/**
 * Cursor pagination shared by every listing port (docs/api.md#admin-api: newest first).
 *
 * @module
 */

/** Asks for one page: at most `limit` items strictly older than the `cursor` id. */
export interface PageRequest {
  limit: number;
  /** The id of the last item of the previous page; absent for the first page. */
  cursor?: string;
}

/** One page, newest first; `nextCursor` is `null` on the last page. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}
