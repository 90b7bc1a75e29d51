/**
 * {@linkcode IdempotencyStore} on SQLite (SPEC.md §3 "Idempotency").
 *
 * @module
 */
import type { Database, Statement } from "bun:sqlite";
import type {
  IdempotencyClaim,
  IdempotencyStore,
  StoredResponse,
} from "../../../core/ports/idempotency_store.ts";
import { selectList } from "./_statements.ts";
import { GroupCommit } from "./group_commit.ts";
import { idempotencyRecords } from "./schema/idempotency_records.ts";

type RecordRow = typeof idempotencyRecords.$inferSelect;

/**
 * Idempotency records in SQLite. Claims, completions and releases go through the group
 * commit in call order, so a claim and the complete that follows it in the same turn of the
 * event loop behave as if run one after the other.
 *
 * @example
 * ```ts
 * const store = new SqliteIdempotencyStore(db);
 * const claim = await store.claim("int_…", key, { fingerprint, now: Date.now(), ttlMs: 86_400_000 });
 * ```
 */
export class SqliteIdempotencyStore implements IdempotencyStore {
  readonly #writes: GroupCommit;
  readonly #find: Statement<RecordRow, [string, string]>;
  readonly #claim: Statement<unknown, [string, string, string, number, number]>;
  readonly #complete: Statement<unknown, [string, string, number, string]>;
  readonly #release: Statement<unknown, [string, string]>;
  readonly #prune: Statement<unknown, [number]>;

  /** @param db An open, migrated connection. */
  constructor(db: Database) {
    this.#writes = GroupCommit.for(db);
    this.#find = db.prepare(
      `SELECT ${selectList(idempotencyRecords)} FROM idempotency_records WHERE scope = ? AND key = ?`,
    );
    // An expired record is overwritten in place: it counts as absent (see claim()).
    this.#claim = db.prepare(
      `INSERT INTO idempotency_records (scope, key, fingerprint, state, status, body, created_at, expires_at)
       VALUES (?1, ?2, ?3, 'pending', NULL, NULL, ?4, ?5)
       ON CONFLICT (scope, key) DO UPDATE SET fingerprint = ?3, state = 'pending', status = NULL,
         body = NULL, created_at = ?4, expires_at = ?5`,
    );
    this.#complete = db.prepare(
      "UPDATE idempotency_records SET state = 'done', status = ?3, body = ?4 WHERE scope = ?1 AND key = ?2",
    );
    this.#release = db.prepare(
      "DELETE FROM idempotency_records WHERE scope = ? AND key = ? AND state = 'pending'",
    );
    this.#prune = db.prepare("DELETE FROM idempotency_records WHERE expires_at <= ?");
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
    return this.#writes.write((): IdempotencyClaim => {
      const found = this.#find.get(scope, key);
      if (found === null || found.expiresAt <= options.now) {
        this.#claim.run(scope, key, options.fingerprint, options.now, options.now + options.ttlMs);
        return { state: "claimed" };
      }
      if (found.fingerprint !== options.fingerprint) return { state: "mismatch" };
      if (found.state === "pending" || found.status === null || found.body === null) {
        return { state: "in_progress" };
      }
      return { state: "completed", response: { status: found.status, body: found.body } };
    });
  }

  complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    return this.#writes.write(() => {
      this.#complete.run(scope, key, response.status, response.body);
    });
  }

  /** Frees a still-pending key; a completed record stays (its response keeps replaying). */
  release(scope: string, key: string): Promise<void> {
    return this.#writes.write(() => {
      this.#release.run(scope, key);
    });
  }

  /**
   * Deletes records expired at `now` (they already count as absent); not part of the port.
   * Run it now and then (for example hourly) so the table holds about a day of keys.
   *
   * @param now Unix ms.
   * @returns How many records were deleted.
   */
  pruneExpired(now: number): Promise<number> {
    return this.#writes.write(() => this.#prune.run(now).changes);
  }
}
