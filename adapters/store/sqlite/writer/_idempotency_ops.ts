/**
 * Write operations of the idempotency store (docs/api.md#idempotency).
 *
 * @module
 */
import type { Database, Statement } from "bun:sqlite";
import type { IdempotencyClaim, StoredResponse } from "../../../../core/ports/idempotency_store.ts";
import { selectList } from "../_statements.ts";
import { idempotencyRecords } from "../schema/idempotency_records.ts";

type RecordRow = typeof idempotencyRecords.$inferSelect;

/** The idempotency writes on `db` (see {@linkcode createWriteOps}). */
export function idempotencyOps(db: Database) {
  const find: Statement<RecordRow, [string, string]> = db.prepare(
    `SELECT ${selectList(idempotencyRecords)} FROM idempotency_records WHERE scope = ? AND key = ?`,
  );
  // An expired record is overwritten in place: it counts as absent (see the claim below).
  const claim: Statement<unknown, [string, string, string, number, number]> = db.prepare(
    `INSERT INTO idempotency_records (scope, key, fingerprint, state, status, body, created_at, expires_at)
     VALUES (?1, ?2, ?3, 'pending', NULL, NULL, ?4, ?5)
     ON CONFLICT (scope, key) DO UPDATE SET fingerprint = ?3, state = 'pending', status = NULL,
       body = NULL, created_at = ?4, expires_at = ?5`,
  );
  const complete: Statement<unknown, [string, string, number, string]> = db.prepare(
    "UPDATE idempotency_records SET state = 'done', status = ?3, body = ?4 WHERE scope = ?1 AND key = ?2",
  );
  const release: Statement<unknown, [string, string]> = db.prepare(
    "DELETE FROM idempotency_records WHERE scope = ? AND key = ? AND state = 'pending'",
  );
  const prune: Statement<unknown, [number]> = db.prepare(
    "DELETE FROM idempotency_records WHERE expires_at <= ?",
  );

  return {
    /**
     * Claims `key`. A record whose `expiresAt` is at or before `now` counts as absent; one
     * with another fingerprint is a `mismatch` whatever its state.
     */
    "idempotency.claim": (
      scope: string,
      key: string,
      options: { fingerprint: string; now: number; ttlMs: number },
    ): IdempotencyClaim => {
      const found = find.get(scope, key);
      if (found === null || found.expiresAt <= options.now) {
        claim.run(scope, key, options.fingerprint, options.now, options.now + options.ttlMs);
        return { state: "claimed" };
      }
      if (found.fingerprint !== options.fingerprint) return { state: "mismatch" };
      if (found.state === "pending" || found.status === null || found.body === null) {
        return { state: "in_progress" };
      }
      return { state: "completed", response: { status: found.status, body: found.body } };
    },
    "idempotency.complete": (scope: string, key: string, response: StoredResponse): void => {
      complete.run(scope, key, response.status, response.body);
    },
    "idempotency.release": (scope: string, key: string): void => {
      release.run(scope, key);
    },
    "idempotency.prune": (now: number): number => prune.run(now).changes,
  };
}
