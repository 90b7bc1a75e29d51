/**
 * Writing outbox rows (events and their pending deliveries), shared by the message store
 * (transactional outbox, docs/architecture.md#the-life-of-one-delivery) and the delivery store (tests, replays).
 *
 * @module
 */
import type { Database, SQLQueryBindings } from "bun:sqlite";
import type { OutboxEvent } from "../../../core/ports/message_store.ts";
import { insertKeys, insertValues, prepareInsert, prepareInsertValues } from "./_statements.ts";
import { deliveries } from "./schema/deliveries.ts";
import { events } from "./schema/events.ts";

/**
 * An outbox event as the writer thread takes it: the events row's INSERT values (column
 * order), the event's id, company and time, and its `[deliveryId, webhookId]` targets.
 */
export type OutboxValues = readonly [
  event: SQLQueryBindings[],
  id: string,
  companyId: string,
  at: number,
  deliveries: OutboxEvent["deliveries"],
];

const EVENT_KEYS = insertKeys(events);

/** The events row's INSERT values (column order) of `event`. */
export function eventValues(event: OutboxEvent["event"]): SQLQueryBindings[] {
  const row: typeof events.$inferInsert = {
    id: event.id,
    companyId: event.companyId,
    channelId: event.channelId,
    type: event.type,
    messageId: event.messageId,
    payload: event.payload,
    createdAt: event.createdAt.getTime(),
  };
  return insertValues(EVENT_KEYS, row);
}

/** {@linkcode OutboxValues} of each event (done on the main thread, before the write). */
export function outboxValues(outbox: readonly OutboxEvent[]): OutboxValues[] {
  return outbox.map(({ event, deliveries: targets }) => {
    const at = event.createdAt.getTime();
    return [eventValues(event), event.id, event.companyId, at, targets] as const;
  });
}

/** Inserts events and deliveries; run inside a transaction (a group-commit write). */
export interface OutboxWriter {
  /** Inserts each event and one pending delivery per target, due at the event's time. */
  insertOutbox(outbox: readonly OutboxEvent[]): void;
  /** {@linkcode insertOutbox} of events already turned into {@linkcode outboxValues}. */
  insertOutboxValues(outbox: readonly OutboxValues[]): void;
  /** Inserts pending deliveries of an event already stored, due at `at`. */
  insertDeliveries(
    event: { id: string; companyId: string },
    targets: OutboxEvent["deliveries"],
    at: number,
  ): void;
}

/** Prepares the outbox INSERTs on `db`. */
export function prepareOutboxWriter(db: Database): OutboxWriter {
  const insertEvent = prepareInsertValues(db, events);
  const insertDelivery = prepareInsert(db, deliveries);
  const insertDeliveries: OutboxWriter["insertDeliveries"] = (event, targets, at) => {
    // docs/architecture.md#the-life-of-one-delivery: a new delivery is due at once: pending, no attempts; leased only when the
    // writing instance's worker takes it straight away.
    for (const [deliveryId, webhookId, leaseUntil] of targets) {
      insertDelivery({
        id: deliveryId,
        companyId: event.companyId,
        eventId: event.id,
        webhookId,
        status: "pending",
        attempts: 0,
        nextAttemptAt: at,
        leaseUntil: leaseUntil ?? null,
        lastStatusCode: null,
        lastError: null,
        createdAt: at,
        updatedAt: at,
      });
    }
  };
  const insertOutboxValues: OutboxWriter["insertOutboxValues"] = (outbox) => {
    for (const [values, id, companyId, at, targets] of outbox) {
      insertEvent(values);
      insertDeliveries({ id, companyId }, targets, at);
    }
  };
  return {
    insertOutbox: (outbox) => insertOutboxValues(outboxValues(outbox)),
    insertOutboxValues,
    insertDeliveries,
  };
}
