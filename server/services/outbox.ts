/**
 * Turns "this happened to a message" into outbox rows: the event with its signed-to-be
 * envelope, and one delivery per destination the union rule picks (docs/api.md#webhooks).
 *
 * @module
 */
import type { Channel, EventType, Message, WebhookIntegration } from "../../core/domain.ts";
import { buildMessageEvent, type MessageEventSpec } from "../../core/message_event.ts";
import type { OutboxEvent } from "../../core/ports/message_store.ts";
import { selectWebhookTargets } from "../../core/union_rule.ts";
import type { IdFactory } from "./ids.ts";

/**
 * Decides an event on `channel` before the message it reports is known: its id, time, and one
 * delivery per destination the union rule picks (they depend on the company's webhooks and the
 * channel, never on the message).
 *
 * @param type the event type
 * @param options.channel the message's channel (for the envelope and the union rule)
 * @param options.webhooks every webhook of the company (the union rule filters them)
 * @param options.ids id factory
 * @param options.now event time in ms
 * @param options.id the event id, when taken earlier (default a new one)
 * @returns the spec {@linkcode buildMessageEvent} turns into the outbox row
 */
export function messageEventSpec(
  type: EventType,
  options: {
    channel: Channel;
    webhooks: readonly WebhookIntegration[];
    ids: IdFactory;
    now: number;
    id?: string;
  },
): MessageEventSpec {
  const { channel, webhooks, ids, now } = options;
  const id = options.id ?? ids("event");
  const targets = selectWebhookTargets(
    { companyId: channel.companyId, channelId: channel.id, type },
    webhooks,
  );
  return {
    type,
    id,
    createdAt: new Date(now),
    // Never the config: the spec is plain data that may cross to the writer thread.
    channel: {
      id: channel.id,
      companyId: channel.companyId,
      type: channel.type,
      name: channel.name,
      address: channel.address,
    },
    deliveries: targets.map((webhook) => [ids("delivery"), webhook.id] as const),
  };
}

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
  return buildMessageEvent(options.message, messageEventSpec(type, options));
}
