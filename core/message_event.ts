/**
 * The outbox row of an event about a message (docs/architecture.md#the-life-of-one-delivery), built from the message as it stands
 * after the change and a spec decided beforehand: a status change is applied inside a store's
 * transaction (maybe on another thread), so everything that does not depend on the updated
 * message — ids, time, channel, union-rule targets — travels as plain data.
 *
 * @module
 */
import type { EventType, Message } from "./domain.ts";
import { buildEventEnvelope, type EventChannel } from "./events.ts";
import type { OutboxEvent } from "./ports/message_store.ts";
import { publicMessage } from "./public_message.ts";

/**
 * Everything about an event on a message except the message itself. Plain data (structured
 * cloneable): no functions, no channel `config`.
 *
 * @example
 * ```ts
 * import type { WebhookIntegration } from "./domain.ts";
 * import { createIdFactory } from "./ids.ts";
 *
 * declare const targets: WebhookIntegration[]; // what the union rule picked
 * const ids = createIdFactory({ now: () => Date.now() }, (n) => crypto.getRandomValues(new Uint8Array(n)));
 * const spec: MessageEventSpec = {
 *   type: "message.delivered",
 *   id: ids("event"),
 *   createdAt: new Date(),
 *   channel: { id: "ch_1", companyId: "co_1", type: "sms", name: "Alerts", address: "+5511999999999" },
 *   deliveries: targets.map((webhook): [string, string] => [ids("delivery"), webhook.id]),
 * };
 * ```
 */
export interface MessageEventSpec {
  type: EventType;
  /** The event id (`evt_…`), also the `webhook-id` of its deliveries. */
  id: string;
  createdAt: Date;
  /** The message's channel, as the envelope shows it. */
  channel: EventChannel;
  /** One delivery per destination the union rule picked: `[deliveryId, webhookId]`. */
  deliveries: OutboxEvent["deliveries"];
}

/**
 * Builds the event row (its payload the JSON envelope with {@linkcode publicMessage}) and its
 * deliveries. Pure: the same inputs give the same bytes, wherever it runs.
 *
 * @param message The message after the change the event reports.
 * @param spec Type, id, time, channel and targets of the event; the event is dated at the
 *   later of `spec.createdAt` and the message's `updatedAt`.
 * @returns The outbox row to write in the same transaction as the change.
 * @throws {Error} When the message is not on `spec.channel` or the type is `integration.test`
 *   (bugs, see {@linkcode buildEventEnvelope}).
 *
 * @example
 * ```ts
 * import type { Message } from "./domain.ts";
 *
 * declare const updated: Message; // the message after the change
 * declare const spec: MessageEventSpec;
 * const row = buildMessageEvent(updated, spec);
 * JSON.parse(row.event.payload).data.message.status === updated.status; // true
 * ```
 */
export function buildMessageEvent(message: Message, spec: MessageEventSpec): OutboxEvent {
  // Never before the change it reports: a report applied after it waited, or after a report
  // that raced it, is dated by the change.
  const createdAt =
    message.updatedAt.getTime() > spec.createdAt.getTime() ? message.updatedAt : spec.createdAt;
  const envelope = buildEventEnvelope(spec.type, {
    id: spec.id,
    createdAt: createdAt.getTime(),
    channel: spec.channel,
    data: { message: publicMessage(message) },
  });
  return {
    event: {
      id: spec.id,
      companyId: message.companyId,
      channelId: spec.channel.id,
      type: spec.type,
      messageId: message.id,
      payload: JSON.stringify(envelope),
      createdAt,
    },
    deliveries: spec.deliveries,
  };
}
