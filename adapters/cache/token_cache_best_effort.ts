/**
 * Makes a shared token cache's invalidations best effort once the database write is done.
 *
 * A rotation is first written to the database (the source of truth), then the cache version
 * is incremented. When the increment fails (Redis down), failing the admin request would not
 * undo the rotation, so the failure is reported instead: this instance dropped its own entries
 * before incrementing, and instances that cannot reach Redis either bypass the cache (see
 * `RedisTokenCache`). Only instances that still reach Redis while the increment failed could
 * serve a stale entry, for at most the cache TTL.
 *
 * @module
 */
import type { TokenCache } from "../../core/ports/token_cache.ts";
import type { TokenMatch } from "../../core/ports/token_store.ts";

/**
 * @example
 * ```ts
 * const cache = new BestEffortTokenCache(new RedisTokenCache(redis), (e) => logger.warn("…", { error: String(e) }));
 * ```
 */
export class BestEffortTokenCache implements TokenCache {
  readonly #cache: TokenCache;
  readonly #onError: (error: unknown) => void;

  /**
   * @param cache The cache whose invalidations may fail.
   * @param onError Told of every failed `invalidate` or `clear`.
   */
  constructor(cache: TokenCache, onError: (error: unknown) => void) {
    this.#cache = cache;
    this.#onError = onError;
  }

  lookup(hash: string, load: () => Promise<TokenMatch | null>): Promise<TokenMatch | null> {
    return this.#cache.lookup(hash, load);
  }

  async invalidate(hashes: readonly string[]): Promise<void> {
    await this.#cache.invalidate(hashes).catch(this.#onError);
  }

  async clear(): Promise<void> {
    await this.#cache.clear().catch(this.#onError);
  }
}
