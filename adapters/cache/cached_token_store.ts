/**
 * Puts a `TokenCache` in front of a `TokenStore`: the send path's token lookup is then a map
 * read; rotation, revocation and admin changes invalidate the cache.
 *
 * @module
 */
import type { TokenCache } from "../../core/ports/token_cache.ts";
import type { TokenMatch, TokenStore } from "../../core/ports/token_store.ts";

/** A read-through cache of token lookups, including "no such token". */
export class CachedTokenStore implements TokenStore {
  readonly #store: TokenStore;
  readonly #cache: TokenCache;

  constructor(store: TokenStore, cache: TokenCache) {
    this.#store = store;
    this.#cache = cache;
  }

  async findTokenByHash(hash: string): Promise<TokenMatch | null> {
    const cached = this.#cache.get(hash);
    if (cached !== undefined) return cached;
    const generation = this.#cache.generation();
    const match = await this.#store.findTokenByHash(hash);
    // An invalidation while the store was read may concern this very token: do not cache.
    if (this.#cache.generation() === generation) this.#cache.set(hash, match);
    return match;
  }
}
