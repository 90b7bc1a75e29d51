/**
 * The queueing both Postgres group commits share ({@linkcode MessageBatcher},
 * {@linkcode StatusBatcher}): what they write differs, when they write does not.
 *
 * @module
 */

/**
 * Queues items and hands them to `write` in batches: up to `maxBatch` items per batch, at most
 * `maxInFlight` batches at once. Under light load an item goes alone as soon as the loop turn
 * ends; under heavy load the items that queue while the batches in flight are written share
 * the next one.
 *
 * @example
 * ```ts
 * const queue = new BatchQueue<Row>((rows) => writeAll(rows), { maxBatch: 256, maxInFlight: 2 });
 * queue.push(row);
 * await queue.drain();
 * ```
 */
export class BatchQueue<T> {
  readonly #write: (batch: T[]) => Promise<void>;
  readonly #maxBatch: number;
  readonly #maxInFlight: number;
  #queue: T[] = [];
  #inFlight = 0;
  #scheduled = false;
  #idle: Array<() => void> = [];

  /**
   * @param write Writes one batch and settles its items' callers itself; it must not reject.
   * @param limits `maxBatch` items per batch, `maxInFlight` batches at once.
   */
  constructor(
    write: (batch: T[]) => Promise<void>,
    limits: { maxBatch: number; maxInFlight: number },
  ) {
    this.#write = write;
    this.#maxBatch = limits.maxBatch;
    this.#maxInFlight = limits.maxInFlight;
  }

  /** Queues `item` for a coming batch. */
  push(item: T): void {
    this.#queue.push(item);
    this.#schedule();
  }

  /** Resolves once every queued item's batch has been written (used before closing the pool). */
  drain(): Promise<void> {
    if (this.#queue.length === 0 && this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.#maxInFlight || this.#queue.length === 0) return;
    this.#scheduled = true;
    // setImmediate, not a microtask: the items of every request handled in this loop turn
    // join the batch.
    setImmediate(() => {
      this.#scheduled = false;
      this.#flush();
    });
  }

  #flush(): void {
    while (this.#inFlight < this.#maxInFlight && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      this.#inFlight++;
      void this.#write(batch).finally(() => {
        this.#inFlight--;
        if (this.#queue.length > 0) this.#schedule();
        else if (this.#inFlight === 0) for (const done of this.#idle.splice(0)) done();
      });
    }
  }
}
