/**
 * {@linkcode ChangeGenerations} on SQLite: bumps through the writer, reads on the main
 * connection (WAL shows it every commit, another process's too).
 *
 * @module
 */
import type { Database, Statement } from "bun:sqlite";
import type { ChangeGenerations } from "../../../core/ports/change_generations.ts";
import type { SqliteWriter } from "./writer/sqlite_writer.ts";

/**
 * @example
 * ```ts
 * const generations = new SqliteChangeGenerations(db, writes);
 * await generations.bump("webhooks");
 * ```
 */
export class SqliteChangeGenerations implements ChangeGenerations {
  readonly #writes: SqliteWriter;
  readonly #read: Statement<{ value: number }, [string]>;

  constructor(db: Database, writes: SqliteWriter) {
    this.#writes = writes;
    this.#read = db.prepare("SELECT value FROM change_generations WHERE name = ?");
  }

  bump(name: string): Promise<void> {
    return this.#writes.write("generations.bump", [name]);
  }

  read(name: string): Promise<number> {
    return Promise.resolve(this.#read.get(name)?.value ?? 0);
  }
}
