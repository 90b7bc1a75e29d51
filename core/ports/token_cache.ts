/**
 * A read-through cache in front of the token store. docs/api.md#tokens: rotation invalidates the old
 * token immediately, on every instance — so `invalidate` and `clear` resolve only once no
 * instance can serve the old entry any more, not once a message is on its way.
 *
 * @module
 */
import type { TokenMatch } from "./token_store.ts";

/**
 * @example
 * ```ts
 * import type { TokenStore } from "./token_store.ts";
 *
 * declare const cache: TokenCache;
 * declare const store: TokenStore;
 * declare const hash: string; // of the token being resolved
 * const match = await cache.lookup(hash, () => store.findTokenByHash(hash));
 * // Once a rotation has made `hash` stale:
 * await cache.invalidate([hash]); // every instance's next lookup of it calls its load
 * ```
 */
export interface TokenCache {
  /**
   * The cached lookup of `hash`, or `load()`'s answer (then cached, unless an invalidation
   * happened while it ran: that answer may predate a rotation). `null`, "no such token", is
   * cached too. A rejection of `load()` is passed on and caches nothing.
   */
  lookup(hash: string, load: () => Promise<TokenMatch | null>): Promise<TokenMatch | null>;
  /** Makes every instance's entries for these hashes stale before it resolves. */
  invalidate(hashes: readonly string[]): Promise<void>;
  /** Makes every entry stale everywhere before it resolves (channel or integration changes). */
  clear(): Promise<void>;
}
