/**
 * What the message state contracts share: the harness they run on, a seeded company with a
 * remote-provider channel and a webhook, a second store on the same database for races, and
 * messages in each state.
 *
 * @module
 */
import type {
  Channel,
  Company,
  EventType,
  Message,
  WebhookIntegration,
} from "../../core/domain.ts";
import type { MessageEventSpec } from "../../core/message_event.ts";
import type { OutboxEvent } from "../../core/ports/message_store.ts";
import type { StorePorts } from "../../core/ports/store_ports.ts";
import { at, company, nextId, webhook } from "../support/delivery_fixtures.ts";
import type { StoreInspector } from "./store_contract.ts";

/** What a run needs: a fresh store, an inspector, and maybe a second store on the database. */
export interface MessageStateHarness {
  store: StorePorts;
  inspect: StoreInspector;
  cleanup(): Promise<void>;
  openSecond?(): Promise<{ store: StorePorts; close(): Promise<void> }>;
}

export function remoteChannel(companyId: string, type: Channel["type"] = "sms"): Channel {
  return {
    id: nextId("ch"),
    companyId,
    type,
    provider: "twilio",
    name: "Support line",
    address: type === "email" ? "orders@shop.example" : "+15550001111",
    config: { authToken: "secret" },
    credits: null,
    createdAt: at(0),
    deletedAt: null,
  };
}

export function queued(ch: Channel, overrides: Partial<Message> = {}): Message {
  return {
    id: nextId("msg"),
    companyId: ch.companyId,
    channelId: ch.id,
    channelType: ch.type,
    direction: "outbound",
    integrationId: "int_app",
    status: "queued",
    provider: ch.provider,
    providerMessageId: null,
    to: ["+15550002222"],
    from: ch.address,
    payload: { to: "+15550002222", body: "Hello" },
    segments: 1,
    credits: 2,
    error: null,
    history: [{ status: "queued", at: at(1) }],
    createdAt: at(1),
    updatedAt: at(1),
    ...overrides,
  };
}

/** A message the provider accepted as `providerMessageId`. */
export function sent(ch: Channel, providerMessageId: string): Message {
  const base = queued(ch);
  return {
    ...base,
    status: "sent",
    providerMessageId,
    history: [...base.history, { status: "sent", at: at(2) }],
    updatedAt: at(2),
  };
}

export function inbound(ch: Channel, providerMessageId: string | null): Message {
  return {
    ...queued(ch),
    direction: "inbound",
    integrationId: null,
    status: "received",
    providerMessageId,
    credits: 0,
    history: [{ status: "received", at: at(1) }],
  };
}

export function spec(
  ch: Channel,
  hook: WebhookIntegration,
  type: EventType,
  when = at(2),
): MessageEventSpec {
  const { id, companyId, type: channelType, name, address } = ch;
  return {
    type,
    id: nextId("evt"),
    createdAt: when,
    channel: { id, companyId, type: channelType, name, address },
    deliveries: [[nextId("dlv"), hook.id]],
  };
}

/** A `message.received` event of `m` going to `hook`. */
export function received(m: Message, hook: WebhookIntegration): OutboxEvent {
  const id = nextId("evt");
  return {
    event: {
      id,
      companyId: m.companyId,
      channelId: m.channelId,
      type: "message.received",
      messageId: m.id,
      payload: JSON.stringify({ id, type: "message.received" }),
      createdAt: at(1),
    },
    deliveries: [[nextId("dlv"), hook.id]],
  };
}

export const shown = (m: Message | null) =>
  m?.history.map((h) => (h.applied === false ? `${h.status} (not applied)` : h.status));

/** A company with a remote-provider channel (of `type`) and a general webhook, stored. */
export async function seedCompany(
  s: StorePorts,
  type: Channel["type"] = "sms",
): Promise<{ co: Company; ch: Channel; hook: WebhookIntegration }> {
  const co = company();
  await s.companies.createCompany(co);
  const ch = remoteChannel(co.id, type);
  await s.channels.createChannel(ch);
  const hook = webhook(co.id);
  await s.integrations.createWebhook(hook);
  return { co, ch, hook };
}

/** `s` and a second store on its database when the adapter opens one, else `s` twice. */
export async function twoStores(
  harness: MessageStateHarness,
  s: StorePorts,
): Promise<{ stores: [StorePorts, StorePorts]; close(): Promise<void> }> {
  const second = await harness.openSecond?.();
  return {
    stores: [s, second?.store ?? s],
    close: async () => second?.close(),
  };
}
