/**
 * {@linkcode IdempotencyStore} on SQLite (docs/api.md#idempotency).
 *
 * @module
 */
import type {
  IdempotencyClaim,
  IdempotencyStore,
  StoredResponse,
} from "../../../core/ports/idempotency_store.ts";
import type { SqliteWriter } from "./writer/sqlite_writer.ts";

/**
 * Idempotency records in SQLite. Claims, completions and releases go through the store's
 * writer in call order, so a claim and the complete that follows it in the same turn of the
 * event loop behave as if run one after the other.
 *
 * @example
 * ```ts
 * const store = new SqliteIdempotencyStore(writes);
 * const claim = await store.claim("int_…", key, { fingerprint, now: Date.now(), ttlMs: 86_400_000 });
 * ```
 */
export class SqliteIdempotencyStore implements IdempotencyStore {
  readonly #writes: SqliteWriter;

  /** @param writes The store's writer: every operation here is a write. */
  constructor(writes: SqliteWriter) {
    this.#writes = writes;
  }

  /**
   * Claims `key`. A record whose `expiresAt` is at or before `now` counts as absent. A record
   * with another fingerprint is a `mismatch` whatever its state.
   */
  claim(
    scope: string,
    key: string,
    options: { fingerprint: string; now: number; ttlMs: number },
  ): Promise<IdempotencyClaim> {
    return this.#writes.write("idempotency.claim", [scope, key, options]);
  }

  complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    return this.#writes.write("idempotency.complete", [scope, key, response]);
  }

  /** Frees a still-pending key; a completed record stays (its response keeps replaying). */
  release(scope: string, key: string): Promise<void> {
    return this.#writes.write("idempotency.release", [scope, key]);
  }

  /**
   * Deletes records expired at `now` (they already count as absent); not part of the port.
   * Run it now and then (for example hourly) so the table holds about a day of keys.
   *
   * @param now Unix ms.
   * @returns How many records were deleted.
   */
  pruneExpired(now: number): Promise<number> {
    return this.#writes.write("idempotency.prune", [now]);
  }
}
