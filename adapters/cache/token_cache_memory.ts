/**
 * In-process token cache: one instance, so invalidation is immediate by construction.
 *
 * @module
 */
import type { TokenCache } from "../../core/ports/token_cache.ts";
import type { TokenMatch } from "../../core/ports/token_store.ts";

/**
 * A bounded map from token hash to its lookup result (`null` caches "unknown" too, so a flood
 * of bad tokens does not reach the database). Entries older than `ttlMs` are looked up again,
 * which bounds how stale credits or config can be when a write bypassed `invalidate`.
 */
export class MemoryTokenCache implements TokenCache {
  readonly #entries = new Map<string, { match: TokenMatch | null; at: number }>();
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  readonly #now: () => number;
  #generation = 0;

  /**
   * @param options.maxEntries bound on cached hashes (default 10 000)
   * @param options.ttlMs how long an entry is trusted (default 5 000 ms)
   * @param options.now clock in ms (default `Date.now`)
   */
  constructor(options: { maxEntries?: number; ttlMs?: number; now?: () => number } = {}) {
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#ttlMs = options.ttlMs ?? 5_000;
    this.#now = options.now ?? Date.now;
  }

  get(hash: string): TokenMatch | null | undefined {
    const entry = this.#entries.get(hash);
    if (entry === undefined) return undefined;
    if (this.#now() - entry.at > this.#ttlMs) {
      this.#entries.delete(hash);
      return undefined;
    }
    return entry.match;
  }

  set(hash: string, match: TokenMatch | null): void {
    if (this.#entries.size >= this.#maxEntries && !this.#entries.has(hash)) {
      // Maps iterate in insertion order: drop the oldest entry.
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(hash, { match, at: this.#now() });
  }

  async invalidate(hashes: readonly string[]): Promise<void> {
    this.#generation += 1;
    for (const hash of hashes) this.#entries.delete(hash);
  }

  async clear(): Promise<void> {
    this.#generation += 1;
    this.#entries.clear();
  }

  generation(): number {
    return this.#generation;
  }
}
