/**
 * Runs async work one at a time per key, in call order; different keys run concurrently.
 *
 * @module
 */

/**
 * A queue per key. Used where the SQLite adapter's single connection gives call order for
 * free and a pool would not: operations on one key, issued together, apply as issued.
 *
 * @example
 * ```ts
 * const queue = new KeyedQueue();
 * await Promise.all([queue.run("k", first), queue.run("k", second)]); // second after first
 * ```
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  /**
   * Runs `work` once every earlier `run` with the same key has settled.
   *
   * @returns What `work` resolves or rejects with.
   */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    // Forget the key once nothing more is queued behind this run, so the map stays small.
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
