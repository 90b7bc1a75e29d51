/**
 * A small least-recently-used cache of SDK clients keyed by the channel config they were built
 * from, so a busy channel reuses one client (and its connections) and a patched config gets a
 * fresh one.
 *
 * @module
 */

/** SDK clients by config key, oldest use first out. */
export class ClientCache<T> {
  readonly #clients = new Map<string, T>();
  readonly #limit: number;

  /** @param limit how many clients to keep (default 256) */
  constructor(limit = 256) {
    this.#limit = limit;
  }

  /**
   * The client for `key`, built by `build` on first use.
   *
   * @param key every config value the client depends on, secrets included (kept in memory only)
   * @param build makes the client
   * @returns the cached or new client
   */
  get(key: string, build: () => T): T {
    const cached = this.#clients.get(key);
    if (cached !== undefined) {
      this.#clients.delete(key);
      this.#clients.set(key, cached);
      return cached;
    }
    const client = build();
    this.#clients.set(key, client);
    if (this.#clients.size > this.#limit) {
      const oldest = this.#clients.keys().next().value;
      if (oldest !== undefined) this.#clients.delete(oldest);
    }
    return client;
  }
}
