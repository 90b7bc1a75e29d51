/**
 * A group commit of transactions on Postgres: the items that arrive while others are being
 * written share one transaction, whose body handles them in call order. Shared by the status
 * writes of the message store (our own reports, send outcomes, provider reports).
 *
 * @module
 */
import { BatchQueue } from "./_batch_queue.ts";
import { AmbiguousCommitError, failureKind } from "./_transient.ts";
import type { PgRunner, PgTx } from "./pg_runner.ts";

interface Queued<In, Out> {
  input: In;
  resolve: (output: Out) => void;
  reject: (error: unknown) => void;
}

/**
 * Queues items and runs `body` on batches of them: up to `maxBatch` per transaction, at most
 * `maxInFlight` transactions at once. The transaction may run again after a transient failure
 * (see {@linkcode PgRunner.transaction}), so `body` must have no effect outside it.
 *
 * A batch that fails for a reason about the data is replayed one item per transaction, so only
 * the faulty item is rejected; a commit whose outcome is unknown rejects every caller of the
 * batch with {@linkcode AmbiguousCommitError}, as an unbatched call would.
 *
 * @example
 * ```ts
 * const writes = new BatchedTransaction(runner, (tx, batch) => applyAll(tx, batch));
 * const result = await writes.run(item);
 * ```
 */
export class BatchedTransaction<In, Out> {
  readonly #db: PgRunner;
  readonly #body: (tx: PgTx, batch: readonly In[]) => Promise<Out[]>;
  readonly #queue: BatchQueue<Queued<In, Out>>;

  /**
   * @param db The pool of a migrated database, with its retry policy.
   * @param body The transaction body: one result per item, in order.
   * @param options.maxBatch Items per transaction at most; default 256.
   * @param options.maxInFlight Transactions at once at most; default 2.
   */
  constructor(
    db: PgRunner,
    body: (tx: PgTx, batch: readonly In[]) => Promise<Out[]>,
    options: { maxBatch?: number; maxInFlight?: number } = {},
  ) {
    this.#db = db;
    this.#body = body;
    this.#queue = new BatchQueue((batch) => this.#write(batch), {
      maxBatch: options.maxBatch ?? 256,
      maxInFlight: options.maxInFlight ?? 2,
    });
  }

  /** Queues one item; resolves with its result once its transaction committed. */
  run(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.#queue.push({ input, resolve, reject });
    });
  }

  /** Resolves once every queued item has settled. */
  drain(): Promise<void> {
    return this.#queue.drain();
  }

  async #write(batch: Queued<In, Out>[]): Promise<void> {
    let results: Out[];
    try {
      results = await this.#db.transaction((tx) =>
        this.#body(
          tx,
          batch.map((item) => item.input),
        ),
      );
    } catch (error) {
      const replay =
        batch.length > 1 && !(error instanceof AmbiguousCommitError) && failureKind(error) === null;
      if (!replay) {
        for (const item of batch) item.reject(error);
        return;
      }
      // Nothing of the batch was committed: one transaction per item finds the faulty one.
      for (const item of batch) await this.#write([item]);
      return;
    }
    batch.forEach((item, i) => {
      item.resolve(results[i] as Out);
    });
  }
}
