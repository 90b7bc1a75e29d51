/**
 * Row ↔ domain mapping of the webhook outbox: events, deliveries and their attempts.
 *
 * @module
 */
import type { Delivery, DeliveryAttempt, EventType, StoredEvent } from "../../../core/domain.ts";
import type { DeliveryOutcome } from "../../../core/ports/delivery_store.ts";
import type { deliveries } from "./schema/deliveries.ts";
import type { deliveryAttempts } from "./schema/delivery_attempts.ts";
import type { events } from "./schema/events.ts";

export type EventRow = typeof events.$inferSelect;
export type DeliveryRow = typeof deliveries.$inferSelect;
export type AttemptRow = typeof deliveryAttempts.$inferSelect;

export function eventFromRow(row: EventRow): StoredEvent {
  return {
    id: row.id,
    companyId: row.companyId,
    channelId: row.channelId,
    // Only the outbox writes this column, always from an `EventType`.
    type: row.type as EventType,
    messageId: row.messageId,
    payload: row.payload,
    createdAt: row.createdAt,
  };
}

export function deliveryFromRow(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    companyId: row.companyId,
    eventId: row.eventId,
    webhookId: row.webhookId,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    leaseUntil: row.leaseUntil,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function attemptFromRow(row: AttemptRow): DeliveryAttempt {
  return {
    id: row.id,
    deliveryId: row.deliveryId,
    trigger: row.trigger,
    startedAt: row.startedAt,
    durationMs: row.durationMs,
    statusCode: row.statusCode,
    responseBody: row.responseBody,
    error: row.error,
  };
}

export function attemptToRow(attempt: DeliveryAttempt): typeof deliveryAttempts.$inferInsert {
  return {
    id: attempt.id,
    deliveryId: attempt.deliveryId,
    trigger: attempt.trigger,
    startedAt: attempt.startedAt,
    durationMs: attempt.durationMs,
    statusCode: attempt.statusCode,
    responseBody: attempt.responseBody,
    error: attempt.error,
  };
}

/**
 * The delivery's columns after an attempt; `updatedAt` is when the attempt ended.
 *
 * @throws {TypeError} When the outcome contradicts itself (a caller bug): `pending` without
 *   `nextAttemptAt`, or a final status with one; or the attempt is of another delivery.
 */
export function settledColumns(
  deliveryId: string,
  attempt: DeliveryAttempt,
  outcome: DeliveryOutcome,
): Pick<
  typeof deliveries.$inferInsert,
  "status" | "nextAttemptAt" | "leaseUntil" | "lastStatusCode" | "lastError" | "updatedAt"
> {
  if (attempt.deliveryId !== deliveryId) {
    throw new TypeError(
      `Cannot record attempt "${attempt.id}" on delivery "${deliveryId}": it is an attempt of "${attempt.deliveryId}"`,
    );
  }
  if ((outcome.status === "pending") !== (outcome.nextAttemptAt !== null)) {
    throw new TypeError(
      `Cannot settle delivery "${deliveryId}" as ${outcome.status}: nextAttemptAt must be set exactly when the status is pending`,
    );
  }
  return {
    status: outcome.status,
    nextAttemptAt: outcome.nextAttemptAt,
    leaseUntil: null,
    lastStatusCode: outcome.lastStatusCode,
    lastError: outcome.lastError,
    updatedAt: new Date(attempt.startedAt.getTime() + attempt.durationMs),
  };
}
