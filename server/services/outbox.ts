/**
 * Turns "this happened to a message" into outbox rows: the event with its signed-to-be
 * envelope, and one delivery per destination the union rule picks (SPEC.md §4).
 *
 * @module
 */
import type { Channel, EventType, Message, WebhookIntegration } from "../../core/domain.ts";
import { buildEventEnvelope } from "../../core/events.ts";
import type { OutboxEvent } from "../../core/ports/message_store.ts";
import { publicMessage } from "../../core/public_message.ts";
import { selectWebhookTargets } from "../../core/union_rule.ts";
import type { IdFactory } from "./ids.ts";

/**
 * Builds one event about `message` and its deliveries.
 *
 * @param type the event type
 * @param options.message the message as it stands after the change
 * @param options.channel the message's channel (for the envelope)
 * @param options.webhooks every webhook of the company (the union rule filters them)
 * @param options.ids id factory
 * @param options.now event time in ms
 * @returns the outbox row to write in the same transaction as the change
 */
export function messageEvent(
  type: EventType,
  options: {
    message: Message;
    channel: Channel;
    webhooks: readonly WebhookIntegration[];
    ids: IdFactory;
    now: number;
  },
): OutboxEvent {
  const { message, channel, webhooks, ids, now } = options;
  const id = ids("event");
  const envelope = buildEventEnvelope(type, {
    id,
    createdAt: now,
    channel,
    data: { message: publicMessage(message) },
  });
  const targets = selectWebhookTargets(
    { companyId: message.companyId, channelId: channel.id, type },
    webhooks,
  );
  return {
    event: {
      id,
      companyId: message.companyId,
      channelId: channel.id,
      type,
      messageId: message.id,
      payload: JSON.stringify(envelope),
      createdAt: new Date(now),
    },
    deliveries: targets.map((webhook) => [ids("delivery"), webhook.id] as const),
  };
}
