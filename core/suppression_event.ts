/**
 * The outbox row of a `recipient.suppressed` or `recipient.unsuppressed` event (README
 * "Suppressions"), built from the suppression as the store wrote or removed it and a spec
 * decided beforehand (ids, time, channel, union-rule targets), like message events: a store
 * may build it inside its transaction, on another thread.
 *
 * @module
 */
import type { Suppression } from "./domain.ts";
import type { EventChannel, EventEnvelope } from "./events.ts";
import type { OutboxEvent } from "./ports/message_store.ts";
import { publicSuppression } from "./public_suppression.ts";

/** The two suppression event types. */
export type SuppressionEventType = "recipient.suppressed" | "recipient.unsuppressed";

/**
 * Everything about a suppression event except the suppression itself. Plain data.
 *
 * @example
 * ```ts
 * const spec: SuppressionEventSpec = {
 *   type: "recipient.suppressed",
 *   id: "evt_01J00000000000000000000000",
 *   createdAt: new Date("2026-01-01T12:00:00.000Z"),
 *   companyId: "co_1",
 *   channel: null, // added through the admin API
 *   deliveries: [],
 * };
 * ```
 */
export interface SuppressionEventSpec {
  type: SuppressionEventType;
  /** The event id (`evt_…`), also the `webhook-id` of its deliveries. */
  id: string;
  createdAt: Date;
  companyId: string;
  /** The channel whose traffic caused it; null when an operator did, through the admin API. */
  channel: EventChannel | null;
  /** One delivery per destination the union rule picked: `[deliveryId, webhookId]`. */
  deliveries: OutboxEvent["deliveries"];
}

/**
 * Builds the event row (its payload the JSON envelope with `data.suppression`) and its
 * deliveries. Pure.
 *
 * @param suppression The suppression added or removed.
 * @param spec Type, id, time, channel and targets.
 * @returns The outbox row to write in the same transaction as the change.
 * @throws {Error} When the suppression belongs to another company than the spec (a bug).
 *
 * @example
 * ```ts
 * const row = buildSuppressionEvent(
 *   {
 *     id: "sup_01J00000000000000000000000",
 *     companyId: "co_1",
 *     channelType: "sms",
 *     address: "+5511999999999",
 *     reason: "stop",
 *     messageId: null,
 *     createdAt: new Date("2026-01-01T12:00:00.000Z"),
 *   },
 *   {
 *     type: "recipient.suppressed",
 *     id: "evt_01J00000000000000000000000",
 *     createdAt: new Date("2026-01-01T12:00:01.000Z"),
 *     companyId: "co_1",
 *     channel: null,
 *     deliveries: [],
 *   },
 * );
 * JSON.parse(row.event.payload).data.suppression.reason; // "stop"
 * row.event.channelId; // null
 * ```
 */
export function buildSuppressionEvent(
  suppression: Suppression,
  spec: SuppressionEventSpec,
): OutboxEvent {
  if (suppression.companyId !== spec.companyId) {
    throw new Error(
      `Cannot build event "${spec.id}": suppression "${suppression.id}" is not of company "${spec.companyId}"`,
    );
  }
  const { channel } = spec;
  const envelope: EventEnvelope = {
    id: spec.id,
    type: spec.type,
    createdAt: spec.createdAt.toISOString(),
    companyId: spec.companyId,
    channel:
      channel === null
        ? null
        : { id: channel.id, type: channel.type, name: channel.name, address: channel.address },
    data: { suppression: publicSuppression(suppression) },
  };
  return {
    event: {
      id: spec.id,
      companyId: spec.companyId,
      channelId: channel?.id ?? null,
      type: spec.type,
      messageId: null,
      payload: JSON.stringify(envelope),
      createdAt: spec.createdAt,
    },
    deliveries: spec.deliveries,
  };
}
