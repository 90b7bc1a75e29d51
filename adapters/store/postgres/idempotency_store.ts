/**
 * {@linkcode IdempotencyStore} on Postgres (docs/api.md#idempotency).
 *
 * @module
 */
import { and, eq, lte, sql } from "drizzle-orm";
import type {
  IdempotencyClaim,
  IdempotencyStore,
  StoredResponse,
} from "../../../core/ports/idempotency_store.ts";
import { KeyedQueue } from "./_keyed_queue.ts";
import type { PgRunner } from "./pg_runner.ts";
import { idempotencyRecords as records } from "./schema/idempotency_records.ts";

/**
 * Idempotency records in Postgres, shared by every instance. A claim is one
 * `INSERT … ON CONFLICT` that inserts a new record or takes over an expired one; when it
 * changed nothing, a SELECT says what holds the key. The primary key makes exactly one of
 * several concurrent claims (on any instances) win.
 *
 * On one instance, operations on the same key run in call order (the SQLite adapter's single
 * connection does that by itself; a pool would not).
 *
 * @example
 * ```ts
 * const store = new PostgresIdempotencyStore(runner);
 * const claim = await store.claim("int_…", key, { fingerprint, now: Date.now(), ttlMs: 86_400_000 });
 * ```
 */
export class PostgresIdempotencyStore implements IdempotencyStore {
  readonly #db: PgRunner;
  readonly #queue = new KeyedQueue();

  /** @param db The pool of a migrated database, with its retry policy. */
  constructor(db: PgRunner) {
    this.#db = db;
  }

  /**
   * Claims `key`. A record whose `expiresAt` is at or before `now` counts as absent. A record
   * with another fingerprint is a `mismatch` whatever its state. Not retried once sent: a
   * lost answer could turn our own claim into `in_progress`.
   */
  claim(
    scope: string,
    key: string,
    options: { fingerprint: string; now: number; ttlMs: number },
  ): Promise<IdempotencyClaim> {
    return this.#queue.run(queueKey(scope, key), async () => {
      const now = new Date(options.now);
      const expiresAt = new Date(options.now + options.ttlMs);
      // A release between the INSERT and the SELECT frees the key again: claim once more.
      for (;;) {
        const inserted = await this.#db.write((db) =>
          db
            .insert(records)
            .values({
              scope,
              key,
              fingerprint: options.fingerprint,
              state: "pending",
              status: null,
              body: null,
              createdAt: now,
              expiresAt,
            })
            .onConflictDoUpdate({
              target: [records.scope, records.key],
              set: {
                fingerprint: options.fingerprint,
                state: "pending",
                status: null,
                body: null,
                createdAt: now,
                expiresAt,
              },
              // An expired record is overwritten in place: it counts as absent.
              setWhere: lte(records.expiresAt, now),
            })
            .returning({ scope: records.scope }),
        );
        if (inserted.length > 0) return { state: "claimed" };
        const [found] = await this.#db.read((db) =>
          db
            .select()
            .from(records)
            .where(and(eq(records.scope, scope), eq(records.key, key))),
        );
        if (found === undefined) continue;
        if (found.fingerprint !== options.fingerprint) return { state: "mismatch" };
        if (found.state === "pending" || found.status === null || found.body === null) {
          return { state: "in_progress" };
        }
        return { state: "completed", response: { status: found.status, body: found.body } };
      }
    });
  }

  complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    return this.#queue.run(queueKey(scope, key), async () => {
      await this.#db.write(
        (db) =>
          db
            .update(records)
            .set({ state: "done", status: response.status, body: response.body })
            .where(and(eq(records.scope, scope), eq(records.key, key))),
        { idempotent: true },
      );
    });
  }

  /**
   * Frees a still-pending key; a completed record stays (its response keeps replaying).
   * Retried even when the first answer was lost: a key left pending would block the client's
   * retries for a whole day, which is worse than the rare race of freeing a claim made in the
   * milliseconds between the two tries.
   */
  release(scope: string, key: string): Promise<void> {
    return this.#queue.run(queueKey(scope, key), async () => {
      await this.#db.write(
        (db) =>
          db
            .delete(records)
            .where(
              and(eq(records.scope, scope), eq(records.key, key), eq(records.state, "pending")),
            ),
        { idempotent: true },
      );
    });
  }

  /**
   * Deletes records expired at `now` (they already count as absent); not part of the port.
   * Run it now and then (for example hourly) so the table holds about a day of keys.
   *
   * @param now Unix ms.
   * @returns How many records were deleted.
   */
  async pruneExpired(now: number): Promise<number> {
    const deleted = await this.#db.write(
      (db) =>
        db
          .delete(records)
          .where(lte(records.expiresAt, new Date(now)))
          .returning({ one: sql<number>`1` }),
      { idempotent: true },
    );
    return deleted.length;
  }
}

/** Scope and key joined so that no two pairs collide (a scope never holds a NUL). */
function queueKey(scope: string, key: string): string {
  return `${scope}\u0000${key}`;
}
