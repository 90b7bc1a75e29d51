/**
 * Batches run on the calling thread's connection: what `:memory:` databases need (they cannot
 * be shared with another connection) and the option for tools that want no thread.
 *
 * @module
 */
import type { Database } from "bun:sqlite";
import { type BatchResult, SqliteBatch } from "./batch.ts";
import type { BatchRunner } from "./sqlite_writer.ts";
import { bindWrite, createWriteOps, type WriteCall, type WriteOps } from "./write_ops.ts";

/**
 * Runs each batch synchronously on `db`. Errors stay the very objects the operations threw.
 *
 * @example
 * ```ts
 * const writes = new SqliteWriter(new InlineRunner(openSqlite(":memory:")));
 * ```
 */
export class InlineRunner implements BatchRunner {
  readonly #ops: WriteOps;
  readonly #batch: SqliteBatch;

  /** @param db An open, migrated connection; the caller closes it after {@linkcode close}. */
  constructor(db: Database) {
    this.#ops = createWriteOps(db);
    this.#batch = new SqliteBatch(db);
  }

  run(batch: readonly WriteCall[]): BatchResult {
    return this.#batch.run(batch.map((call) => bindWrite(this.#ops, call)));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
