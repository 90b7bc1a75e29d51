/**
 * What retention costs the writer (README "Retention"): small writes are timed every 2 ms
 * through the store's writer while nothing else runs (the baseline), while a retention run
 * deletes old messages in batches of 500 (what the job does), and while one run deletes each
 * table in a single batch (what batching avoids). Same process, same file, same run.
 *
 * `bun bench/retention.ts [--messages N]` (default 20 000: each with an event and a settled
 * delivery, 40 days old; the job keeps 30 days).
 *
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { SecretBox } from "../adapters/crypto/secret_box.ts";
import { createSqliteStore, type SqliteStore } from "../adapters/store/sqlite/mod.ts";
import type { Channel, Message } from "../core/domain.ts";
import { newId } from "../core/ids.ts";
import { createLogger } from "../server/logger.ts";
import { RetentionJob } from "../server/services/retention_job.ts";

const DAY_MS = 86_400_000;
const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
const { values } = parseArgs({ options: { messages: { type: "string", default: "20000" } } });
const COUNT = Number(values.messages);

async function seed(store: SqliteStore, channel: Channel, webhookId: string, old: number) {
  const chunk = 500;
  for (let done = 0; done < COUNT; done += chunk) {
    const writes: Promise<void>[] = [];
    for (let i = done; i < Math.min(COUNT, done + chunk); i++) {
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

/** Times one small write every 2 ms until `until` settles; answers the latencies in ms. */
async function probe(store: SqliteStore, until: Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  let done = false;
  void until.finally(() => {
    done = true;
  });
  while (!done) {
    const started = performance.now();
    await store.generations.bump("bench");
    latencies.push(performance.now() - started);
    await Bun.sleep(2);
  }
  return latencies;
}

function summary(name: string, latencies: number[], extra = "") {
  const sorted = [...latencies].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  console.log(
    `${name.padEnd(26)} writes ${String(sorted.length).padStart(5)}  p50 ${q(0.5).toFixed(2)} ms  p99 ${q(0.99).toFixed(2)} ms  max ${q(1).toFixed(2)} ms${extra}`,
  );
}

async function scenario(name: string, batchSize: number | null, dir: string) {
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
  if (batchSize === null) {
    summary(name, await probe(store, Bun.sleep(3_000)));
  } else {
    await seed(store, channel, webhookId, now - 40 * DAY_MS);
    const job = new RetentionJob({
      store: store.operations,
      clock: { now: () => now },
      logger: createLogger("silent"),
      days: 30,
      holder: name,
      batchSize,
    });
    const started = performance.now();
    const run = job.runOnce();
    const latencies = await probe(store, run);
    const took = performance.now() - started;
    const result = await run;
    const deleted = result.ran ? result.deleted.messages : 0;
    summary(
      name,
      latencies,
      `  deleted ${deleted} messages in ${(took / 1000).toFixed(1)} s (${result.ran ? result.batches : 0} batches)`,
    );
  }
  await store.close();
}

const dir = mkdtempSync(join(tmpdir(), "sendeasy-bench-retention-"));
try {
  console.log(`retention bench: ${COUNT} messages, each with an event and a settled delivery`);
  await scenario("baseline (no retention)", null, dir);
  await scenario("retention, batches of 500", 500, dir);
  await scenario("one batch per table", COUNT, dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
