/**
 * The write side of the SQLite store: a group commit of named operations, run either on the
 * main thread's connection or on a dedicated writer thread.
 *
 * @module
 */
import type { BatchResult } from "./batch.ts";
import type { WriteArgs, WriteCall, WriteOpName, WriteResult } from "./write_ops.ts";

/** Counters for benchmarks and tests. */
export interface WriteStats {
  /** Transactions committed or attempted. */
  batches: number;
  /** Writes run, failed ones included. */
  writes: number;
}

/** Where a batch runs: {@linkcode InlineRunner} or {@linkcode ThreadRunner}. */
export interface BatchRunner {
  /** Runs the calls in one transaction, in order; never throws (failures are the result). */
  run(batch: readonly WriteCall[]): BatchResult | Promise<BatchResult>;
  /** Settles every batch already given, then releases the connection. */
  close(): Promise<void>;
}

interface QueuedWrite {
  call: WriteCall;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Queues write operations and runs all those queued during one turn of the event loop (or,
 * while the writer thread holds its limit of batches, until one comes back) as ONE batch —
 * one `BEGIN IMMEDIATE … COMMIT`, one fsync (`synchronous = FULL`) — in call order.
 * A write that throws is rolled back alone and only its caller is rejected; the others commit.
 * Every promise settles after COMMIT, so a resolved write is durable. If BEGIN or COMMIT fails
 * (or the writer thread dies), every caller of the batch is rejected.
 *
 * One instance per store: all its ports share it, so writes across stores keep call order.
 *
 * @example
 * ```ts
 * const writes = new SqliteWriter(new InlineRunner(db));
 * const take = await writes.write("channels.takeCredits", ["ch_…", 2]);
 * await writes.close();
 * ```
 */
export class SqliteWriter {
  readonly #runner: BatchRunner;
  #queue: QueuedWrite[] = [];
  #scheduled = false;
  /** Batches handed to an asynchronous runner and not answered yet. */
  #inFlight = 0;
  readonly #maxInFlight: number;
  #closed = false;
  #closing: Promise<void> | null = null;
  #batches = 0;
  #writes = 0;

  /**
   * @param runner Runs the batches (on this thread or another).
   * @param options.maxBatchesInFlight Batches an asynchronous runner may hold at once (default
   *   2: the thread always has the next one queued when it commits, even while the main loop
   *   is busy with requests; more only makes the batches smaller).
   */
  constructor(runner: BatchRunner, options: { maxBatchesInFlight?: number } = {}) {
    this.#runner = runner;
    this.#maxInFlight = options.maxBatchesInFlight ?? 2;
  }

  /**
   * Queues operation `op` for the next batch.
   *
   * @param op The operation's name (see {@linkcode createWriteOps}).
   * @param args Its arguments; structured-cloneable.
   * @returns Its result, once the batch has committed.
   * @throws What the operation threw (that write alone is rolled back), the BEGIN/COMMIT
   *   failure, the writer thread's death, or an error when {@linkcode SqliteWriter.close}
   *   was called.
   */
  write<K extends WriteOpName>(op: K, args: WriteArgs<K>): Promise<WriteResult<K>> {
    if (this.#closed) {
      return Promise.reject(new Error("Cannot write to SQLite: the store is closed"));
    }
    return new Promise<WriteResult<K>>((resolve, reject) => {
      this.#queue.push({ call: [op, args], resolve: resolve as (value: unknown) => void, reject });
      this.#schedule();
    });
  }

  /**
   * Sends the queued writes as one batch now (inline: runs and settles them at once). While
   * the writer thread holds `maxBatchesInFlight` batches the queue keeps growing instead, and
   * goes as one batch once one of them is answered: one transaction, one fsync, for everything
   * that arrived meanwhile. Without this limit every loop turn sent its own small batch and the
   * thread committed them one by one (about 9 writes per transaction under load, not 60).
   *
   * @param options.evenInFlight send even if a batch is in flight (closing)
   */
  flush(options: { evenInFlight?: boolean } = {}): void {
    this.#scheduled = false;
    if (this.#inFlight >= this.#maxInFlight && options.evenInFlight !== true) return;
    const batch = this.#queue;
    this.#queue = [];
    if (batch.length === 0) return;
    this.#batches++;
    this.#writes += batch.length;
    const result = this.#runner.run(batch.map((write) => write.call));
    if (!(result instanceof Promise)) {
      settle(batch, result);
      return;
    }
    this.#inFlight++;
    void result.then((settled) => {
      this.#inFlight--;
      // What queued up during that commit goes now, not after the requests waiting in this
      // loop turn: the writer thread would sit idle meanwhile (README "Performance").
      this.flush();
      settle(batch, settled);
    });
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // setImmediate, not queueMicrotask: it waits for the whole current loop turn, so the
    // writes of every request handled in this turn share one transaction.
    setImmediate(() => this.flush());
  }

  /**
   * Commits what is queued, refuses further writes, and releases the runner (the writer
   * thread ends after its last commit). Idempotent.
   */
  close(): Promise<void> {
    if (this.#closing === null) {
      this.flush({ evenInFlight: true });
      this.#closed = true;
      this.#closing = this.#runner.close();
    }
    return this.#closing;
  }

  /** Counters since this instance was created. */
  get stats(): WriteStats {
    return { batches: this.#batches, writes: this.#writes };
  }
}

function settle(batch: readonly QueuedWrite[], result: BatchResult): void {
  if (!result.ok) {
    for (const write of batch) write.reject(result.error);
    return;
  }
  batch.forEach((write, i) => {
    const outcome = result.outcomes[i];
    if (outcome === undefined) {
      write.reject(new Error("Cannot settle SQLite write: the batch returned no outcome for it"));
    } else if (outcome.ok) write.resolve(outcome.value);
    else write.reject(outcome.error);
  });
}
