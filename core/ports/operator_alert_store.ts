/**
 * The operator alerts' outbox (README "Operator alerts"): written when something happens,
 * claimed under a lease and posted by a sender, settled with the attempt's outcome.
 *
 * @module
 */
import type { OperatorAlert } from "../operator_alert.ts";

/** A claimed alert: its id and envelope, its attempts so far, and the lease settling needs. */
export interface ClaimedOperatorAlert {
  id: string;
  payload: string;
  attempts: number;
  leaseUntil: Date;
}

/** How an alert stands after an attempt. */
export interface OperatorAlertOutcome {
  status: "pending" | "delivered" | "failed";
  /** When to try again (`pending`), else `null`. */
  nextAttemptAt: Date | null;
  lastError: string | null;
  at: Date;
}

export interface OperatorAlertStore {
  /**
   * Writes the alert, due at once, unless an alert of the same incident (`incidentKey`) was
   * already written: then nothing changes and it answers `false`.
   */
  enqueue(alert: OperatorAlert): Promise<boolean>;
  /**
   * Leases up to `limit` due alerts (`pending`, due, no live lease) until `now + leaseMs`,
   * oldest due first; two claimers never lease the same alert.
   */
  claimDue(options: { now: Date; limit: number; leaseMs: number }): Promise<ClaimedOperatorAlert[]>;
  /** Records an attempt (one more) if the claim's lease still holds; answers whether it did. */
  settle(claim: { id: string; leaseUntil: Date }, outcome: OperatorAlertOutcome): Promise<boolean>;
}
