/**
 * The Postgres delivery store's settles: the delivery's new state, its attempt row and the
 * webhook's failing run in one transaction, looked up again after an ambiguous COMMIT
 * (docs/api.md#webhooks).
 *
 * @module
 */
import { and, eq, sql } from "drizzle-orm";
import type { DeliveryAttempt } from "../../../core/domain.ts";
import type { DeliveryOutcome, SettleResult } from "../../../core/ports/delivery_store.ts";
import { attemptToRow, settledColumns } from "./_delivery_rows.ts";
import { AmbiguousCommitError, type PgExecutor, type PgRunner } from "./pg_runner.ts";
import { deliveries } from "./schema/deliveries.ts";
import { deliveryAttempts } from "./schema/delivery_attempts.ts";
import { integrations } from "./schema/integrations.ts";

/**
 * Settles a claimed delivery while the worker's lease still holds.
 *
 * @throws {TypeError} (rejects) As {@linkcode settledColumns}.
 */
export async function settleLeased(
  db: PgRunner,
  claim: { deliveryId: string; leaseUntil: Date },
  attempt: DeliveryAttempt,
  outcome: DeliveryOutcome,
): Promise<SettleResult> {
  const set = settledColumns(claim.deliveryId, attempt, outcome);
  for (let lookups = 0; ; lookups++) {
    try {
      return await db.transaction(async (tx): Promise<SettleResult> => {
        const [row] = await tx
          .update(deliveries)
          .set({ ...set, attempts: sql`${deliveries.attempts} + 1` })
          .where(
            and(eq(deliveries.id, claim.deliveryId), eq(deliveries.leaseUntil, claim.leaseUntil)),
          )
          .returning({ webhookId: deliveries.webhookId });
        if (row === undefined) return { ok: false, code: "LEASE_LOST" };
        return { ok: true, failingSince: await record(tx, row.webhookId, attempt, outcome) };
      });
    } catch (error) {
      if (!(error instanceof AmbiguousCommitError) || lookups >= 2) throw error;
      // The attempt row tells whether that COMMIT happened; if not, the lease still holds.
      const failingSince = await committedAttempt(db, attempt.id);
      if (failingSince !== undefined) return { ok: true, failingSince };
    }
  }
}

/**
 * Settles a delivery without a lease; a worker still holding one loses it.
 *
 * @throws {Error} (rejects) When the delivery does not exist.
 * @throws {TypeError} (rejects) As {@linkcode settledColumns}.
 */
export async function settleManual(
  db: PgRunner,
  deliveryId: string,
  attempt: DeliveryAttempt,
  outcome: DeliveryOutcome,
): Promise<void> {
  const set = settledColumns(deliveryId, attempt, outcome);
  for (let lookups = 0; ; lookups++) {
    try {
      await db.transaction(async (tx) => {
        const [row] = await tx
          .update(deliveries)
          .set({ ...set, attempts: sql`${deliveries.attempts} + 1` })
          .where(eq(deliveries.id, deliveryId))
          .returning({ webhookId: deliveries.webhookId });
        if (row === undefined) {
          throw new Error(
            `Cannot record attempt "${attempt.id}": delivery "${deliveryId}" does not exist`,
          );
        }
        await record(tx, row.webhookId, attempt, outcome);
      });
      return;
    } catch (error) {
      if (!(error instanceof AmbiguousCommitError) || lookups >= 2) throw error;
      if ((await committedAttempt(db, attempt.id)) !== undefined) return;
    }
  }
}

/**
 * After an ambiguous COMMIT: the webhook's `failingSince` when the attempt was stored
 * (that transaction committed), `undefined` when it was not.
 */
async function committedAttempt(db: PgRunner, attemptId: string): Promise<Date | null | undefined> {
  const [row] = await db.read((db) =>
    db
      .select({ failingSince: integrations.failingSince })
      .from(deliveryAttempts)
      .innerJoin(deliveries, eq(deliveries.id, deliveryAttempts.deliveryId))
      .innerJoin(integrations, eq(integrations.id, deliveries.webhookId))
      .where(eq(deliveryAttempts.id, attemptId)),
  );
  return row === undefined ? undefined : row.failingSince;
}

/**
 * Logs the attempt and moves the webhook's failing run: a success ends it, a failure starts
 * one unless one is running (docs/api.md#webhooks: 5 days of failures disable the webhook).
 *
 * @returns The webhook's `failingSince` afterwards.
 */
async function record(
  tx: PgExecutor,
  webhookId: string,
  attempt: DeliveryAttempt,
  outcome: DeliveryOutcome,
): Promise<Date | null> {
  await tx.insert(deliveryAttempts).values(attemptToRow(attempt));
  const [webhook] = await tx
    .update(integrations)
    .set({
      failingSince: outcome.webhookSucceeded
        ? null
        : sql`coalesce(${integrations.failingSince}, ${attempt.startedAt})`,
    })
    .where(eq(integrations.id, webhookId))
    .returning({ failingSince: integrations.failingSince });
  return webhook?.failingSince ?? null;
}
