/**
 * A token cache that keeps nothing: for several instances sharing a database without Redis,
 * where no instance could tell that another invalidated a token (docs/api.md#tokens: rotation is
 * immediate on every instance), so every lookup reads the database.
 *
 * @module
 */
import type { TokenCache } from "../../core/ports/token_cache.ts";
import type { TokenMatch } from "../../core/ports/token_store.ts";

/**
 * @example
 * ```ts
 * const tokens = new CachedTokenStore(store, new NoTokenCache()); // always the store
 * ```
 */
export class NoTokenCache implements TokenCache {
  lookup(_hash: string, load: () => Promise<TokenMatch | null>): Promise<TokenMatch | null> {
    return load();
  }

  async invalidate(_hashes: readonly string[]): Promise<void> {}

  async clear(): Promise<void> {}
}
