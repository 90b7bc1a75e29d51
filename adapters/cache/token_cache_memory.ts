/**
 * In-process token cache: one instance, so invalidation is immediate by construction.
 *
 * @module
 */
import type { TokenCache } from "../../core/ports/token_cache.ts";
import type { TokenMatch } from "../../core/ports/token_store.ts";
import { TokenEntries } from "./_token_entries.ts";

/** Options of {@linkcode MemoryTokenCache}. */
export interface MemoryTokenCacheOptions {
  /** Bound on cached hashes (default 10 000). */
  maxEntries?: number;
  /** How long an entry is trusted, in ms (default 5 000). */
  ttlMs?: number;
  /** Clock in ms (default `Date.now`). */
  now?: () => number;
}

/**
 * A bounded map from token hash to its lookup result (`null` caches "unknown" too, so a flood
 * of bad tokens does not reach the database). Entries older than `ttlMs` are looked up again,
 * which bounds how stale credits or config can be when a write bypassed `invalidate`.
 *
 * Every `invalidate` and `clear` bumps a generation; a lookup caches what `load()` answered
 * only if the generation did not change meanwhile, since that answer may predate a rotation.
 *
 * @example
 * ```ts
 * const cache = new MemoryTokenCache({ ttlMs: 5_000 });
 * const match = await cache.lookup(hash, () => store.findTokenByHash(hash));
 * ```
 */
export class MemoryTokenCache implements TokenCache {
  readonly #entries: TokenEntries<{ match: TokenMatch | null }>;
  #generation = 0;

  /** @param options See {@linkcode MemoryTokenCacheOptions}. */
  constructor(options: MemoryTokenCacheOptions = {}) {
    this.#entries = new TokenEntries({
      maxEntries: options.maxEntries ?? 10_000,
      ttlMs: options.ttlMs ?? 5_000,
      now: options.now ?? Date.now,
    });
  }

  async lookup(hash: string, load: () => Promise<TokenMatch | null>): Promise<TokenMatch | null> {
    const cached = this.#entries.get(hash);
    if (cached !== undefined) return cached.match;
    const generation = this.#generation;
    const match = await load();
    if (this.#generation === generation) this.#entries.set(hash, { match });
    return match;
  }

  async invalidate(hashes: readonly string[]): Promise<void> {
    this.#generation += 1;
    this.#entries.delete(hashes);
  }

  async clear(): Promise<void> {
    this.#generation += 1;
    this.#entries.clear();
  }
}
