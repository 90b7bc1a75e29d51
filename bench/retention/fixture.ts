/**
 * The retention bench's store: a fresh SQLite store with a company, a sandbox channel and a
 * webhook, and old messages to delete (bench/README.md#retention).
 *
 * @module
 */
import { join } from "node:path";
import { SecretBox } from "../../adapters/crypto/secret_box.ts";
import { createSqliteStore, type SqliteStore } from "../../adapters/store/sqlite/mod.ts";
import type { Channel, Message } from "../../core/domain.ts";
import { newId } from "../../core/ids.ts";

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));

/** A store at `dir/<name>.sqlite` with what the seeded messages point at. */
export interface BenchStore {
  store: SqliteStore;
  channel: Channel;
  webhookId: string;
  /** When the store was made, ms since the epoch: the retention job's clock. */
  now: number;
}

/** Makes a fresh store named after `name` in `dir`. */
export async function openBenchStore(dir: string, name: string): Promise<BenchStore> {
  const store = createSqliteStore({
    path: join(dir, `${name.replaceAll(" ", "_")}.sqlite`),
    secretBox: await SecretBox.fromKey(Buffer.from(random(32)).toString("base64")),
  });
  const now = Date.now();
  const company = (await store.companies.getDefaultCompany()) ?? {
    id: "",
    name: "",
    createdAt: new Date(),
  };
  const companyId = company.id || newId("company", { now, random });
  if (!company.id)
    await store.companies.createCompany({ id: companyId, name: "Bench", createdAt: new Date(now) });
  const channel: Channel = {
    id: newId("channel", { now, random }),
    companyId,
    type: "sms",
    provider: "sandbox",
    name: "bench",
    address: "+15550001111",
    config: {},
    credits: null,
    createdAt: new Date(now),
    deletedAt: null,
  };
  await store.channels.createChannel(channel);
  const webhookId = newId("integration", { now, random });
  await store.integrations.createWebhook({
    id: webhookId,
    companyId,
    name: "bench",
    enabled: true,
    createdAt: new Date(now),
    updatedAt: new Date(now),
    kind: "webhook",
    scope: "general",
    channelId: null,
    url: "https://example.com/hooks",
    bearerToken: null,
    events: null,
    disabledReason: null,
    signingSecrets: [
      {
        secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        createdAt: new Date(now),
        expiresAt: null,
      },
    ],
    failingSince: null,
  });
  return { store, channel, webhookId, now };
}

/** Saves `count` received messages from `old` on, each with an event and a settled delivery. */
export async function seed(bench: BenchStore, old: number, count: number): Promise<void> {
  const { store, channel, webhookId } = bench;
  const chunk = 500;
  for (let done = 0; done < count; done += chunk) {
    const writes: Promise<void>[] = [];
    for (let i = done; i < Math.min(count, done + chunk); i++) {
      const at = new Date(old + i);
      const id = newId("message", { now: at.getTime(), random });
      const message: Message = {
        id,
        companyId: channel.companyId,
        channelId: channel.id,
        channelType: "sms",
        direction: "inbound",
        integrationId: null,
        status: "received",
        provider: "sandbox",
        providerMessageId: `SM${i}`,
        to: [channel.address],
        from: "+15550002222",
        payload: { body: "hello" },
        segments: 1,
        credits: 0,
        error: null,
        history: [{ status: "received", at }],
        createdAt: at,
        updatedAt: at,
      };
      const eventId = newId("event", { now: at.getTime(), random });
      const event = {
        id: eventId,
        companyId: channel.companyId,
        channelId: channel.id,
        type: "message.received" as const,
        messageId: id,
        payload: JSON.stringify({ id: eventId, type: "message.received" }),
        createdAt: at,
      };
      const delivery = newId("delivery", { now: at.getTime(), random });
      writes.push(
        store.messages.saveMessage(message, [{ event, deliveries: [[delivery, webhookId]] }]),
      );
    }
    await Promise.all(writes);
  }
  // Settled, as the worker would have left them.
  store.database.run("UPDATE deliveries SET status = 'succeeded', next_attempt_at = NULL");
}
