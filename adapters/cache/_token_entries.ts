/**
 * The bounded, expiring map of token lookups both token caches keep in process.
 *
 * @module
 */

/**
 * At most `maxEntries` values, each trusted for `ttlMs` after it was set; the oldest is dropped
 * to make room (Maps iterate in insertion order).
 *
 * @example
 * ```ts
 * const entries = new TokenEntries<{ match: TokenMatch | null }>({ maxEntries: 10_000, ttlMs: 5_000, now: Date.now });
 * entries.set("h1", { match: null });
 * entries.get("h1"); // { match: null }, for 5 s
 * ```
 */
export class TokenEntries<T> {
  readonly #entries = new Map<string, { value: T; at: number }>();
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: { maxEntries: number; ttlMs: number; now: () => number }) {
    this.#maxEntries = options.maxEntries;
    this.#ttlMs = options.ttlMs;
    this.#now = options.now;
  }

  /** The value set for `hash`, unless none was or it is older than `ttlMs`. */
  get(hash: string): T | undefined {
    const entry = this.#entries.get(hash);
    if (entry === undefined) return undefined;
    if (this.#now() - entry.at > this.#ttlMs) {
      this.#entries.delete(hash);
      return undefined;
    }
    return entry.value;
  }

  set(hash: string, value: T): void {
    if (this.#entries.size >= this.#maxEntries && !this.#entries.has(hash)) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(hash, { value, at: this.#now() });
  }

  delete(hashes: readonly string[]): void {
    for (const hash of hashes) this.#entries.delete(hash);
  }

  clear(): void {
    this.#entries.clear();
  }
}
