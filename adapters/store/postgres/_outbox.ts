/**
 * Writing outbox rows (events and their deliveries), shared by the message store
 * (transactional outbox, docs/architecture.md#the-life-of-one-delivery) and the delivery store (tests, replays).
 *
 * @module
 */
import type { OutboxEvent } from "../../../core/ports/message_store.ts";
import { insertRows } from "./_json_rows.ts";
import type { PgExecutor } from "./pg_runner.ts";
import { deliveries } from "./schema/deliveries.ts";
import { events } from "./schema/events.ts";

type EventInsert = typeof events.$inferInsert;
type DeliveryInsert = typeof deliveries.$inferInsert;

/** The rows of `outbox`: one per event, one per delivery. */
export function outboxRows(outbox: readonly OutboxEvent[]): {
  events: EventInsert[];
  deliveries: DeliveryInsert[];
} {
  const eventRows: EventInsert[] = [];
  const deliveryRows: DeliveryInsert[] = [];
  for (const { event, deliveries: targets } of outbox) {
    eventRows.push({
      id: event.id,
      companyId: event.companyId,
      channelId: event.channelId,
      type: event.type,
      messageId: event.messageId,
      payload: event.payload,
      createdAt: event.createdAt,
    });
    deliveryRows.push(...deliveryRowsOf(event.id, event.companyId, targets, event.createdAt));
  }
  return { events: eventRows, deliveries: deliveryRows };
}

/**
 * docs/architecture.md#the-life-of-one-delivery: a new delivery is due at once: pending, no attempts, next try at `at`; leased
 * when the writing instance's worker takes it straight away.
 */
export function deliveryRowsOf(
  eventId: string,
  companyId: string,
  targets: OutboxEvent["deliveries"],
  at: Date,
): DeliveryInsert[] {
  return targets.map(([deliveryId, webhookId, leaseUntil]) => ({
    id: deliveryId,
    companyId,
    eventId,
    webhookId,
    status: "pending",
    attempts: 0,
    nextAttemptAt: at,
    leaseUntil: leaseUntil === undefined ? null : new Date(leaseUntil),
    lastStatusCode: null,
    lastError: null,
    createdAt: at,
    updatedAt: at,
  }));
}

/**
 * Inserts events, then deliveries (they reference the events): one statement each, with the
 * rows as one jsonb parameter (see `_json_rows.ts`).
 */
export async function insertOutboxRows(
  tx: PgExecutor,
  rows: { events: EventInsert[]; deliveries: DeliveryInsert[] },
): Promise<void> {
  if (rows.events.length > 0) await tx.execute(insertRows(events, rows.events));
  if (rows.deliveries.length > 0) await tx.execute(insertRows(deliveries, rows.deliveries));
}
