/**
 * Write operations of the operator alerts' outbox (README "Operator alerts"): written once per
 * incident, leased by a sender, settled with the attempt's outcome.
 *
 * @module
 */
import type { Database, Statement } from "bun:sqlite";
import type { OperatorAlert } from "../../../../core/operator_alert.ts";
import type { OperatorAlertOutcome } from "../../../../core/ports/operator_alert_store.ts";

type Claimed = { id: string; payload: string; attempts: number };

/** The alert writes on `db` (see {@linkcode createWriteOps}). */
export function alertOps(db: Database) {
  const insert: Statement<{ id: string }, [string, string, string, string, number]> = db.prepare(
    `INSERT INTO operator_alerts
       (id, topic, incident_key, payload, status, attempts, next_attempt_at, created_at, updated_at)
     VALUES (?1, ?2, ?3, ?4, 'pending', 0, ?5, ?5, ?5)
     ON CONFLICT (incident_key) DO NOTHING RETURNING id`,
  );
  const claim: Statement<Claimed, [number, number, number]> = db.prepare(
    `UPDATE operator_alerts SET lease_until = ?1
     WHERE id IN (
       SELECT id FROM operator_alerts
       WHERE status = 'pending' AND next_attempt_at <= ?2
         AND (lease_until IS NULL OR lease_until <= ?2)
       ORDER BY next_attempt_at LIMIT ?3)
     RETURNING id, payload, attempts`,
  );
  const settle: Statement<
    { id: string },
    [string, number | null, string | null, number, string, number]
  > = db.prepare(
    `UPDATE operator_alerts
     SET status = ?1, next_attempt_at = ?2, last_error = ?3, updated_at = ?4,
         attempts = attempts + 1, lease_until = NULL
     WHERE id = ?5 AND lease_until = ?6 RETURNING id`,
  );
  return {
    "alerts.enqueue": (alert: OperatorAlert): boolean => {
      const at = alert.createdAt.getTime();
      const row = insert.get(alert.id, alert.topic, alert.incidentKey, alert.payload, at);
      return row !== null;
    },
    /** Leases due alerts until `leaseUntil`; the write lock spans the select and the update. */
    "alerts.claim": (now: number, limit: number, leaseUntil: number): Claimed[] =>
      claim.all(leaseUntil, now, limit),
    "alerts.settle": (
      claimed: { id: string; leaseUntil: Date },
      outcome: OperatorAlertOutcome,
    ): boolean => {
      const row = settle.get(
        outcome.status,
        outcome.nextAttemptAt?.getTime() ?? null,
        outcome.lastError,
        outcome.at.getTime(),
        claimed.id,
        claimed.leaseUntil.getTime(),
      );
      return row !== null;
    },
  };
}
