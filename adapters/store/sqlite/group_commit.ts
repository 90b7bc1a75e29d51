/**
 * Group commit: every write of one event-loop turn runs in ONE SQLite transaction, so a burst
 * of sends pays for one fsync (`synchronous = FULL`) instead of one each.
 *
 * @module
 */
import type { Database, Statement } from "bun:sqlite";

interface QueuedWrite {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Counters for benchmarks and tests. */
export interface GroupCommitStats {
  /** Transactions committed or attempted. */
  batches: number;
  /** Writes run, failed ones included. */
  writes: number;
}

/**
 * Queues synchronous write operations and runs all those queued during one turn of the event
 * loop in a single `BEGIN IMMEDIATE … COMMIT`, in queue order. A write whose own statements
 * throw is rolled back alone (the batch is replayed with a SAVEPOINT per write) and only its
 * caller is rejected; the others commit. Because of that replay, a write function must have
 * no effects other than its statements on this connection. Every promise settles after
 * COMMIT, so a resolved write is durable. If BEGIN or COMMIT fails, the whole batch is rolled
 * back and every caller rejected.
 *
 * One instance per connection ({@linkcode GroupCommit.for}): all stores built on the same
 * `Database` share it, so writes across stores keep their call order.
 *
 * @example
 * ```ts
 * const writes = GroupCommit.for(db);
 * const changes = await writes.write(() => db.run("UPDATE t SET n = n + 1").changes);
 * ```
 */
export class GroupCommit {
  static readonly #byDatabase = new WeakMap<Database, GroupCommit>();

  /**
   * The group commit of `db`, created on first use.
   *
   * @param db An open connection.
   * @returns The one instance for this connection.
   */
  static for(db: Database): GroupCommit {
    let instance = GroupCommit.#byDatabase.get(db);
    if (instance === undefined) {
      instance = new GroupCommit(db);
      GroupCommit.#byDatabase.set(db, instance);
    }
    return instance;
  }

  readonly #db: Database;
  readonly #begin: Statement;
  readonly #commit: Statement;
  readonly #rollback: Statement;
  readonly #savepoint: Statement;
  readonly #release: Statement;
  readonly #rollbackTo: Statement;
  #queue: QueuedWrite[] = [];
  #scheduled = false;
  #closed = false;
  #batches = 0;
  #writes = 0;

  private constructor(db: Database) {
    this.#db = db;
    this.#begin = db.prepare("BEGIN IMMEDIATE");
    this.#commit = db.prepare("COMMIT");
    this.#rollback = db.prepare("ROLLBACK");
    this.#savepoint = db.prepare("SAVEPOINT group_commit_write");
    this.#release = db.prepare("RELEASE group_commit_write");
    this.#rollbackTo = db.prepare("ROLLBACK TO group_commit_write");
  }

  /**
   * Queues `run` for the next batch.
   *
   * @param run Synchronous statements on this connection; it must not start transactions and
   *   may run twice (see the class documentation), so it has no other side effects.
   * @returns `run`'s result, once the batch has committed.
   * @throws What `run` threw (that write alone is rolled back), the BEGIN/COMMIT failure, or
   *   an error when {@linkcode GroupCommit.close} was called.
   */
  write<T>(run: () => T): Promise<T> {
    if (this.#closed) {
      return Promise.reject(new Error("Cannot write to SQLite: the store is closed"));
    }
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ run, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        // setImmediate, not queueMicrotask: it waits for the whole current loop turn, so the
        // writes of every request handled in this turn share one transaction.
        setImmediate(() => this.flush());
      }
    });
  }

  /** Runs the queued writes now (used before closing the connection). */
  flush(): void {
    this.#scheduled = false;
    const batch = this.#queue;
    this.#queue = [];
    if (batch.length === 0) return;
    this.#batches++;
    this.#writes += batch.length;

    const result = this.#runBatch(batch);
    if (!result.ok) {
      for (const write of batch) write.reject(result.error);
      return;
    }
    batch.forEach((write, i) => {
      const outcome = result.value[i];
      if (outcome?.ok) write.resolve(outcome.value);
      else write.reject(outcome?.error);
    });
  }

  /** Commits what is queued, then refuses further writes (call before closing the connection). */
  close(): void {
    this.flush();
    this.#closed = true;
  }

  /** Counters since this instance was created. */
  get stats(): GroupCommitStats {
    return { batches: this.#batches, writes: this.#writes };
  }

  /** The per-write outcomes after COMMIT, or the error that aborted the whole batch. */
  #runBatch(batch: QueuedWrite[]): Outcome<Outcome<unknown>[]> {
    // Failing writes are rare (caller bugs, constraint violations) and a savepoint per write
    // costs about as much as the write itself, so a batch first runs without them; if one write
    // throws, everything is rolled back and the batch replayed with a savepoint per write. A
    // lone write needs no savepoint at all: rolling back the transaction rolls back exactly it.
    if (batch.length > 1) {
      const fast = this.#attempt(batch, false);
      if (fast.ok || !fast.writeFailed) return fast;
    }
    return this.#attempt(batch, batch.length > 1);
  }

  #attempt(batch: QueuedWrite[], guarded: boolean): Attempt {
    const outcomes: Outcome<unknown>[] = [];
    let writeFailed = false;
    try {
      this.#begin.run();
      for (const write of batch) {
        if (guarded) this.#savepoint.run();
        try {
          outcomes.push({ ok: true, value: write.run() });
          if (guarded) this.#release.run();
        } catch (error) {
          if (!guarded) {
            writeFailed = batch.length > 1;
            throw error;
          }
          this.#rollbackTo.run();
          this.#release.run();
          outcomes.push({ ok: false, error });
        }
      }
      this.#commit.run();
      return { ok: true, value: outcomes };
    } catch (error) {
      // SQLite may already have rolled back (I/O errors, SQLITE_FULL); only roll back if not.
      if (this.#db.inTransaction) this.#rollback.run();
      return { ok: false, error, writeFailed };
    }
  }
}

type Attempt =
  | { ok: true; value: Outcome<unknown>[] }
  | { ok: false; error: unknown; writeFailed: boolean };

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };
