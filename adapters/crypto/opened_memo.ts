/**
 * Remembering opened secrets on hot read paths: AES-GCM decryption is the slow part of reading
 * a row that holds one, the same row is read over and over (a channel per send, a webhook per
 * claim), and a sealed text always opens to the same value.
 *
 * @module
 */

/**
 * Wraps `open` so that each sealed text is opened once. At most `limit` entries are kept; when
 * full, the memo starts over (the working set is a few channels and webhooks).
 *
 * @param open Opens one sealed text (throws as it would).
 * @param limit Entries kept at most (default 1 000).
 * @returns `open`, remembered by sealed text. Callers that may change the value get it shared:
 *   copy it before handing it out.
 *
 * @example
 * ```ts
 * const decrypt = memoizeOpen((sealed) => box.decrypt(sealed));
 * decrypt(row.bearerTokenSealed); // decrypted once, then remembered
 * ```
 */
export function memoizeOpen<T>(open: (sealed: string) => T, limit = 1_000): (sealed: string) => T {
  const opened = new Map<string, T>();
  return (sealed) => {
    let value = opened.get(sealed);
    if (value === undefined) {
      value = open(sealed);
      if (opened.size >= limit) opened.clear();
      opened.set(sealed, value);
    }
    return value;
  };
}
