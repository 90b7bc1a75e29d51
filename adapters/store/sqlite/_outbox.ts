/**
 * Writing outbox rows (events and their pending deliveries), shared by the message store
 * (transactional outbox, SPEC.md §4 "Durability") and the delivery store (tests, replays).
 *
 * @module
 */
import type { Database } from "bun:sqlite";
import type { OutboxEvent } from "../../../core/ports/message_store.ts";
import { prepareInsert } from "./_statements.ts";
import { deliveries } from "./schema/deliveries.ts";
import { events } from "./schema/events.ts";

/** Inserts events and deliveries; run inside a transaction (a group-commit write). */
export interface OutboxWriter {
  /** Inserts each event and one pending delivery per target, due at the event's time. */
  insertOutbox(outbox: readonly OutboxEvent[]): void;
  /** Inserts pending deliveries of an event already stored, due at `at`. */
  insertDeliveries(
    event: { id: string; companyId: string },
    targets: OutboxEvent["deliveries"],
    at: number,
  ): void;
}

/** Prepares the outbox INSERTs on `db`. */
export function prepareOutboxWriter(db: Database): OutboxWriter {
  const insertEvent = prepareInsert(db, events);
  const insertDelivery = prepareInsert(db, deliveries);
  const insertDeliveries: OutboxWriter["insertDeliveries"] = (event, targets, at) => {
    // SPEC.md §4: a new delivery is due at once: pending, no attempts, no lease.
    for (const [deliveryId, webhookId] of targets) {
      insertDelivery({
        id: deliveryId,
        companyId: event.companyId,
        eventId: event.id,
        webhookId,
        status: "pending",
        attempts: 0,
        nextAttemptAt: at,
        leaseUntil: null,
        lastStatusCode: null,
        lastError: null,
        createdAt: at,
        updatedAt: at,
      });
    }
  };
  return {
    insertOutbox(outbox) {
      for (const { event, deliveries: targets } of outbox) {
        const at = event.createdAt.getTime();
        insertEvent({
          id: event.id,
          companyId: event.companyId,
          channelId: event.channelId,
          type: event.type,
          messageId: event.messageId,
          payload: event.payload,
          createdAt: at,
        });
        insertDeliveries(event, targets, at);
      }
    },
    insertDeliveries,
  };
}
