/**
 * A message that arrived on a channel: stored as an inbound message with its
 * `message.received` event in one transaction (docs/architecture.md#the-life-of-one-delivery outbox). Shared by the sandbox's
 * simulated inbound and the providers' callbacks.
 *
 * @module
 */
import type { Channel, Message } from "../../core/domain.ts";
import type { Clock } from "../../core/ports/clock.ts";
import type { MessageStore, OutboxEvent } from "../../core/ports/message_store.ts";
import type { IdFactory } from "./ids.ts";
import { messageEvent } from "./outbox.ts";
import type { WebhookDirectory } from "./webhook_directory.ts";

/** What recording an inbound message needs. */
export interface InboundDeps {
  messages: MessageStore;
  webhooks: WebhookDirectory;
  ids: IdFactory;
  clock: Clock;
}

/** One inbound message as a provider (or the sandbox) reported it. */
export interface InboundInput {
  /** The sender, in the form a reply would use: E.164 with `+` (SMS), digits (WhatsApp), email. */
  from: string;
  /** What arrived, in the public payload's words (`text`, `files`, `mediaUrls`, `subject`). */
  payload: Record<string, unknown>;
  /** The provider's id of the message, so a repeated callback is recognised; null for the sandbox. */
  providerMessageId?: string | null;
}

/**
 * Stores an inbound message on `channel` and its `message.received` event, atomically, unless
 * the channel already has an inbound message with the same provider id (a provider that sent
 * its callback more than once, even at the same moment: the store's unique key decides).
 *
 * @param deps the message store, webhooks (for the union rule), ids and clock
 * @param channel the channel it arrived on
 * @param input the sender, payload and provider id
 * @returns the message and its event, and whether they were stored (false: a repeat)
 * @example
 * const { message } = await recordInbound(deps, channel, { from: "5511988887777", payload: { text: "hi" } });
 */
export async function recordInbound(
  deps: InboundDeps,
  channel: Channel,
  input: InboundInput,
): Promise<{ message: Message; event: OutboxEvent; created: boolean }> {
  const now = deps.clock.now();
  const at = new Date(now);
  const message: Message = {
    id: deps.ids("message"),
    companyId: channel.companyId,
    channelId: channel.id,
    channelType: channel.type,
    direction: "inbound",
    integrationId: null,
    status: "received",
    provider: channel.provider,
    providerMessageId: input.providerMessageId ?? null,
    to: [channel.address],
    from: input.from,
    payload: input.payload,
    segments: null,
    credits: 0,
    error: null,
    history: [{ status: "received", at }],
    createdAt: at,
    updatedAt: at,
  };
  const webhooks = await deps.webhooks.forCompany(channel.companyId);
  const event = messageEvent("message.received", {
    message,
    channel,
    webhooks,
    ids: deps.ids,
    now,
  });
  const created = await deps.messages.receiveMessage(message, [event]);
  return { message, event, created };
}
