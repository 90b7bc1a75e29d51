/**
 * Puts a `TokenCache` in front of a `TokenStore`: rotation, revocation and admin changes
 * invalidate the cache.
 *
 * @module
 */
import type { TokenCache } from "../../core/ports/token_cache.ts";
import type { TokenMatch, TokenStore } from "../../core/ports/token_store.ts";

/**
 * A read-through cache of token lookups, including "no such token".
 *
 * @example
 * ```ts
 * const tokens = new CachedTokenStore(store.tokens, new MemoryTokenCache());
 * await tokens.findTokenByHash(hash);
 * ```
 */
export class CachedTokenStore implements TokenStore {
  readonly #store: TokenStore;
  readonly #cache: TokenCache;

  constructor(store: TokenStore, cache: TokenCache) {
    this.#store = store;
    this.#cache = cache;
  }

  findTokenByHash(hash: string): Promise<TokenMatch | null> {
    return this.#cache.lookup(hash, () => this.#store.findTokenByHash(hash));
  }
}
