/**
 * Running statements and transactions on the pool with bounded retries of transient
 * failures (a Postgres restart, a terminated backend), only where a retry cannot apply a
 * change twice.
 *
 * @module
 */
import type { BunSQLDatabase, BunSQLQueryResultHKT } from "drizzle-orm/bun-sql";
import type { PgDatabase } from "drizzle-orm/pg-core";
import { AmbiguousCommitError, type FailureKind, failureKind } from "./_transient.ts";

export { AmbiguousCommitError };

/** The query builder of the pool or of an open transaction. */
export type PgExecutor = PgDatabase<BunSQLQueryResultHKT, Record<string, never>>;

/** A transaction's query builder, as `transaction()` hands it over. */
export type PgTx = Parameters<Parameters<BunSQLDatabase["transaction"]>[0]>[0];

/** How transient failures are retried; every field has a default. */
export interface RetryOptions {
  /** Tries after the first one; default 8. */
  retries?: number;
  /** Delay before the first retry, doubled each time (with jitter); default 50 ms. */
  baseDelayMs?: number;
  /**
   * Longest delay between two tries; default 2 000 ms. With the defaults a call waits 3.6 to
   * 7.2 s in all before it gives up: long enough for a Postgres restart.
   */
  maxDelayMs?: number;
}

/**
 * Runs work on a drizzle database over Bun's SQL pool, retrying what is safe to retry:
 *
 * | call | retried on |
 * |---|---|
 * | `read` | every transient failure: reads change nothing |
 * | `write` (one autocommit statement) | a failure before the statement was sent, or a deadlock; with `idempotent: true` also a dropped connection |
 * | `transaction` | every transient failure before COMMIT was sent (the server rolls back an unfinished transaction), and a deadlock or serialization failure at any point; a connection lost *during* COMMIT rejects with {@linkcode AmbiguousCommitError} |
 *
 * Transaction bodies may therefore run more than once: they must have no effects outside the
 * transaction (computing ids or times in them is fine, sending anything is not).
 *
 * @example
 * ```ts
 * const runner = new PgRunner(drizzle({ client: new SQL(url) }));
 * const row = await runner.read((db) => db.select().from(companies).limit(1));
 * ```
 */
export class PgRunner {
  readonly orm: BunSQLDatabase;
  readonly #retries: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  #closed = false;
  #retried = 0;

  /**
   * @param orm A drizzle database on a Bun `SQL` pool.
   * @param options See {@linkcode RetryOptions}.
   */
  constructor(orm: BunSQLDatabase, options: RetryOptions = {}) {
    this.orm = orm;
    this.#retries = options.retries ?? 8;
    this.#baseDelayMs = options.baseDelayMs ?? 50;
    this.#maxDelayMs = options.maxDelayMs ?? 2_000;
  }

  /** How many retries were made so far (for tests and logs). */
  get retried(): number {
    return this.#retried;
  }

  /** Stops retrying: calls after the pool closed fail at once. */
  close(): void {
    this.#closed = true;
  }

  /** Runs a read; retried on every transient failure. */
  read<T>(run: (db: BunSQLDatabase) => Promise<T>): Promise<T> {
    return this.#withRetries(
      () => run(this.orm),
      (kind) => kind !== null,
    );
  }

  /**
   * Runs one autocommit statement. A dropped connection leaves such a statement's outcome
   * unknown, so it is retried only when `idempotent` (running it twice equals running it once).
   */
  write<T>(
    run: (db: BunSQLDatabase) => Promise<T>,
    options: { idempotent?: boolean } = {},
  ): Promise<T> {
    const idempotent = options.idempotent ?? false;
    return this.#withRetries(
      () => run(this.orm),
      (kind) => kind === "not_sent" || kind === "rolled_back" || (idempotent && kind === "dropped"),
    );
  }

  /**
   * Runs `body` in one transaction (READ COMMITTED). Retried while COMMIT was not sent.
   *
   * @throws {AmbiguousCommitError} When the connection broke during COMMIT.
   */
  transaction<T>(body: (tx: PgTx) => Promise<T>): Promise<T> {
    return this.#withRetries(
      async () => {
        let committing = false;
        try {
          return await this.orm.transaction(async (tx) => {
            const result = await body(tx);
            committing = true;
            return result;
          });
        } catch (error) {
          const kind = failureKind(error);
          if (committing && (kind === "dropped" || kind === "not_sent")) {
            throw new AmbiguousCommitError(error);
          }
          throw error;
        }
      },
      (kind) => kind !== null,
    );
  }

  async #withRetries<T>(
    run: () => Promise<T>,
    retryable: (kind: Exclude<FailureKind, null> | null) => boolean,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await run();
      } catch (error) {
        if (this.#closed || attempt >= this.#retries || !retryable(failureKind(error))) {
          throw error;
        }
        this.#retried++;
        const ceiling = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** attempt);
        // Full jitter would let a retry fire at once; half keeps a floor so a restart can finish.
        await Bun.sleep(ceiling / 2 + (Math.random() * ceiling) / 2);
      }
    }
  }
}
