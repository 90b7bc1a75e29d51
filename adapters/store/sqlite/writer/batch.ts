/**
 * The transaction logic of the group commit, shared by both write executors (the inline one
 * and the writer thread): one `BEGIN IMMEDIATE … COMMIT` per batch, a failing write rolled
 * back alone.
 *
 * @module
 */
import type { Database, Statement } from "bun:sqlite";

/** What one write gave: its result, or what it threw. */
export type WriteOutcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** The per-write outcomes of a committed batch, or the error that aborted all of it. */
export type BatchResult = { ok: true; outcomes: WriteOutcome[] } | { ok: false; error: unknown };

/**
 * Runs batches of synchronous writes on one connection, each batch in ONE transaction, in
 * order. A write whose statements throw is rolled back alone (the batch is replayed with a
 * SAVEPOINT per write) and only its outcome is a failure; the others commit. Because of that
 * replay, a write must have no effects other than its statements on this connection. If BEGIN
 * or COMMIT fails, the whole batch is rolled back and the result is that error.
 *
 * @example
 * ```ts
 * const batch = new SqliteBatch(db);
 * const result = batch.run([() => db.run("UPDATE t SET n = n + 1").changes]);
 * if (result.ok) console.log(result.outcomes[0]); // { ok: true, value: 1 }
 * ```
 */
export class SqliteBatch {
  readonly #db: Database;
  readonly #begin: Statement;
  readonly #commit: Statement;
  readonly #rollback: Statement;
  readonly #savepoint: Statement;
  readonly #release: Statement;
  readonly #rollbackTo: Statement;

  /** @param db An open connection; the batches are its only transactions. */
  constructor(db: Database) {
    this.#db = db;
    this.#begin = db.prepare("BEGIN IMMEDIATE");
    this.#commit = db.prepare("COMMIT");
    this.#rollback = db.prepare("ROLLBACK");
    this.#savepoint = db.prepare("SAVEPOINT group_commit_write");
    this.#release = db.prepare("RELEASE group_commit_write");
    this.#rollbackTo = db.prepare("ROLLBACK TO group_commit_write");
  }

  /**
   * Runs `writes` in one transaction, in order.
   *
   * @param writes Synchronous statements on this connection; none may start a transaction.
   * @returns The outcomes after COMMIT, or the BEGIN/COMMIT failure.
   */
  run(writes: ReadonlyArray<() => unknown>): BatchResult {
    // Failing writes are rare (caller bugs, constraint violations) and a savepoint per write
    // costs about as much as the write itself, so a batch first runs without them; if one write
    // throws, everything is rolled back and the batch replayed with a savepoint per write. A
    // lone write needs no savepoint at all: rolling back the transaction rolls back exactly it.
    if (writes.length > 1) {
      const fast = this.#attempt(writes, false);
      if (fast.ok || !fast.writeFailed) return fast;
    }
    const result = this.#attempt(writes, writes.length > 1);
    // A lone write that threw: its own error is its outcome, not a batch failure.
    if (!result.ok && result.writeFailed) {
      return { ok: true, outcomes: [{ ok: false, error: result.error }] };
    }
    return result;
  }

  #attempt(writes: ReadonlyArray<() => unknown>, guarded: boolean): Attempt {
    const outcomes: WriteOutcome[] = [];
    let writeFailed = false;
    try {
      this.#begin.run();
      for (const write of writes) {
        if (guarded) this.#savepoint.run();
        try {
          outcomes.push({ ok: true, value: write() });
          if (guarded) this.#release.run();
        } catch (error) {
          if (!guarded) {
            writeFailed = true;
            throw error;
          }
          this.#rollbackTo.run();
          this.#release.run();
          outcomes.push({ ok: false, error });
        }
      }
      this.#commit.run();
      return { ok: true, outcomes };
    } catch (error) {
      // SQLite may already have rolled back (I/O errors, SQLITE_FULL); only roll back if not.
      if (this.#db.inTransaction) this.#rollback.run();
      return { ok: false, error, writeFailed };
    }
  }
}

type Attempt =
  | { ok: true; outcomes: WriteOutcome[] }
  | { ok: false; error: unknown; writeFailed: boolean };
