/**
 * Write operations of the delivery store: claims under leases, settles with their attempt
 * log, and outbox rows added outside a message write (docs/architecture.md#the-life-of-one-delivery).
 *
 * @module
 */
import type { Database, Statement } from "bun:sqlite";
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/bun-sqlite";
import type { Delivery, DeliveryAttempt } from "../../../../core/domain.ts";
import type { DeliveryOutcome, SettleResult } from "../../../../core/ports/delivery_store.ts";
import type { OutboxEvent } from "../../../../core/ports/message_store.ts";
import { attemptToRow, deliveryFromRow, settleBindings } from "../_delivery_rows.ts";
import {
  CLAIM_CANDIDATES,
  FAILING_SINCE,
  LEASE,
  SETTLE,
  SETTLE_LEASED,
  UPDATE_FAILING_SINCE,
} from "../_delivery_sql.ts";
import { prepareOutboxWriter } from "../_outbox.ts";
import { dateOrNull } from "../_rows.ts";
import { prepareInsert } from "../_statements.ts";
import { deliveries } from "../schema/deliveries.ts";
import { deliveryAttempts } from "../schema/delivery_attempts.ts";

type SettleRow = { webhookId: string };
type Settled = [string, number | null, number | null, string | null, number];

/** The delivery writes on `db` (see {@linkcode createWriteOps}). */
export function deliveryOps(db: Database) {
  const orm = drizzle({ client: db });
  const outbox = prepareOutboxWriter(db);
  const insertAttempt = prepareInsert(db, deliveryAttempts);
  const candidates: Statement<{ id: string }, [number, number, string, number, string, number]> =
    db.prepare(CLAIM_CANDIDATES);
  const lease: Statement<unknown, [number, string]> = db.prepare(LEASE);
  const settleLeased: Statement<SettleRow, [...Settled, string, number]> =
    db.prepare(SETTLE_LEASED);
  const settle: Statement<SettleRow, [...Settled, string]> = db.prepare(SETTLE);
  const failingSince: Statement<{ failingSince: number | null }, [number, number, string]> =
    db.prepare(UPDATE_FAILING_SINCE);
  const currentFailingSince: Statement<{ failingSince: number | null }, [string]> =
    db.prepare(FAILING_SINCE);
  const eventCompany: Statement<{ id: string; companyId: string }, [string]> = db.prepare(
    "SELECT id, company_id AS companyId FROM events WHERE id = ?",
  );

  /** Logs the attempt and moves the webhook's failing run; returns its `failingSince`. */
  const record = (webhookId: string, attempt: DeliveryAttempt, outcome: DeliveryOutcome) => {
    insertAttempt(attemptToRow(attempt));
    const changed = failingSince.get(
      outcome.webhookSucceeded ? 1 : 0,
      attempt.startedAt.getTime(),
      webhookId,
    );
    if (changed !== null) return dateOrNull(changed.failingSince);
    // Nothing to change: a success leaves no streak; a failure continues the running one.
    if (outcome.webhookSucceeded) return null;
    return dateOrNull(currentFailingSince.get(webhookId)?.failingSince ?? null);
  };

  return {
    /**
     * Leases up to `limit` due deliveries (at most `perWebhook` per webhook, none of
     * `excludedJson`'s webhooks) until `leaseUntil`. In one `BEGIN IMMEDIATE` transaction, it
     * holds the write lock from its SELECT to its UPDATE: two claimers never lease the same row.
     * Answers the ids only (in due order): the store reads the rows on its own connection.
     */
    "deliveries.claim": (options: {
      now: number;
      perWebhook: number;
      excludedJson: string;
      limit: number;
      leaseUntil: number;
      companyRoomJson: string;
      perCompany: number;
    }): string[] => {
      const { now, perWebhook, excludedJson, limit, companyRoomJson, perCompany } = options;
      const ids = candidates
        .all(now, perWebhook, excludedJson, limit, companyRoomJson, perCompany)
        .map((r) => r.id);
      if (ids.length > 0) lease.run(options.leaseUntil, JSON.stringify(ids));
      return ids;
    },
    "deliveries.settle": (
      claim: { deliveryId: string; leaseUntil: Date },
      attempt: DeliveryAttempt,
      outcome: DeliveryOutcome,
    ): SettleResult => {
      const values = settleBindings(claim.deliveryId, attempt, outcome);
      const row = settleLeased.get(...values, claim.deliveryId, claim.leaseUntil.getTime());
      if (row === null) return { ok: false, code: "LEASE_LOST" };
      return { ok: true, failingSince: record(row.webhookId, attempt, outcome) };
    },
    "deliveries.recordManualAttempt": (
      deliveryId: string,
      attempt: DeliveryAttempt,
      outcome: DeliveryOutcome,
    ): void => {
      const row = settle.get(...settleBindings(deliveryId, attempt, outcome), deliveryId);
      if (row === null) {
        throw new Error(
          `Cannot record attempt "${attempt.id}": delivery "${deliveryId}" does not exist`,
        );
      }
      record(row.webhookId, attempt, outcome);
    },
    "deliveries.saveEvent": (event: OutboxEvent): void => {
      outbox.insertOutbox([event]);
    },
    "deliveries.add": (eventId: string, targets: OutboxEvent["deliveries"], atMs: number): void => {
      const event = eventCompany.get(eventId);
      if (event === null) {
        throw new Error(`Cannot add deliveries to event "${eventId}": it does not exist`);
      }
      outbox.insertDeliveries(event, targets, atMs);
    },
    /** Makes the delivery `pending` and due at `atMs`, dropping any lease. */
    "deliveries.retry": (companyId: string, id: string, atMs: number): Delivery | null => {
      const row = orm
        .update(deliveries)
        .set({ status: "pending", nextAttemptAt: atMs, leaseUntil: null, updatedAt: atMs })
        .where(and(eq(deliveries.companyId, companyId), eq(deliveries.id, id)))
        .returning()
        .get();
      return row === undefined ? null : deliveryFromRow(row);
    },
  };
}
