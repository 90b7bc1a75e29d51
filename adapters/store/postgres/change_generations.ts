/**
 * {@linkcode ChangeGenerations} on Postgres.
 *
 * @module
 */
import { eq, sql } from "drizzle-orm";
import type { ChangeGenerations } from "../../../core/ports/change_generations.ts";
import type { PgRunner } from "./pg_runner.ts";
import { changeGenerations } from "./schema/change_generations.ts";

/**
 * @example
 * ```ts
 * const generations = new PostgresChangeGenerations(runner);
 * await generations.bump("webhooks");
 * ```
 */
export class PostgresChangeGenerations implements ChangeGenerations {
  readonly #db: PgRunner;

  constructor(db: PgRunner) {
    this.#db = db;
  }

  /** Retried even after a dropped connection: a counter bumped twice is still "changed". */
  async bump(name: string): Promise<void> {
    await this.#db.write(
      (db) =>
        db
          .insert(changeGenerations)
          .values({ name, value: 1 })
          .onConflictDoUpdate({
            target: changeGenerations.name,
            set: { value: sql`${changeGenerations.value} + 1` },
          }),
      { idempotent: true },
    );
  }

  async read(name: string): Promise<number> {
    const [row] = await this.#db.read((db) =>
      db
        .select({ value: changeGenerations.value })
        .from(changeGenerations)
        .where(eq(changeGenerations.name, name)),
    );
    return row?.value ?? 0;
  }
}
