/**
 * The delivery worker against a real SQLite store and real receivers on loopback: a
 * destination's slot is held by the HTTP attempt only (not by the settle that records it),
 * claims run ahead of the slots without ever exceeding them, and `stop()` sends what it
 * already claimed.
 */
import { afterAll, afterEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemoryWorkSignal } from "../../../adapters/cache/work_signal_memory.ts";
import type { SqliteStore } from "../../../adapters/store/sqlite/mod.ts";
import { HttpWebhookTransport } from "../../../adapters/webhooks/http_transport.ts";
import type { Message, WebhookIntegration } from "../../../core/domain.ts";
import type { DeliveryStore } from "../../../core/ports/delivery_store.ts";
import type { OutboxEvent } from "../../../core/ports/message_store.ts";
import { createLogger } from "../../../server/logger.ts";
import { NotifyingMessageStore } from "../../../server/services/notifying_message_store.ts";
import { WebhookDirectory } from "../../../server/services/webhook_directory.ts";
import { DeliveryWorker } from "../../../server/worker/delivery_worker.ts";
import { DeliveryHandoff } from "../../../server/worker/handoff.ts";
import { channel, company, nextId, outboxEvent, webhook } from "../../support/delivery_fixtures.ts";
import { expectRejection } from "../../support/rejection.ts";
import { makeSqliteHarness } from "../../support/sqlite_harness.ts";

const dir = mkdtempSync(join(tmpdir(), "sendeasy-worker-"));
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A receiver on 127.0.0.1 that records arrivals and answers after `delayMs`. */
function receiver(delayMs = 0) {
  const arrivals: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      arrivals.push(request.headers.get("webhook-id") ?? "?");
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await Bun.sleep(delayMs);
      inFlight--;
      return new Response("ok");
    },
  });
  cleanups.push(() => server.stop(true));
  return {
    url: `http://127.0.0.1:${server.port}/hook`,
    arrivals,
    maxInFlight: () => maxInFlight,
  };
}

/** A fresh store with one company and one webhook to `url`, and `n` events for it. */
async function storeWithEvents(url: string, n: number) {
  const harness = await makeSqliteHarness(dir);
  cleanups.push(() => harness.cleanup());
  const co = company();
  await harness.store.companies.createCompany(co);
  const hook: WebhookIntegration = webhook(co.id, {
    url,
    signingSecrets: [{ secret: SECRET, createdAt: new Date(), expiresAt: null }],
  });
  await harness.store.integrations.createWebhook(hook);
  const events: OutboxEvent[] = [];
  for (let i = 0; i < n; i++) {
    const event = outboxEvent(co.id, null, [hook.id], { when: new Date() });
    await harness.store.deliveries.saveEvent(event);
    events.push(event);
  }
  return { harness, events };
}

function worker(
  store: SqliteStore,
  deliveries: DeliveryStore,
  perDestination: number,
  options: { signal?: MemoryWorkSignal; pollMs?: number; retrySchedule?: number[] } = {},
) {
  return new DeliveryWorker({
    deliveries,
    integrations: store.integrations,
    webhooks: new WebhookDirectory(store.integrations),
    signal: options.signal ?? new MemoryWorkSignal(),
    logger: createLogger("silent"),
    perDestination,
    pollMs: options.pollMs ?? 20,
    attempt: {
      transport: new HttpWebhookTransport({ allowPrivate: true }),
      now: () => Date.now(),
      random: Math.random,
      newAttemptId: () => `att_${crypto.randomUUID()}`,
      retrySchedule: options.retrySchedule ?? [1],
      timeoutMs: 2_000,
    },
  });
}

async function until(condition: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition()) && Date.now() < deadline) await Bun.sleep(5);
}

test("with one slot per destination, the next attempt goes out while the last settle waits", async () => {
  const target = receiver();
  const { harness, events } = await storeWithEvents(target.url, 2);
  const { store } = harness;
  // Every settle is held until the test lets it through.
  let openGate: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    openGate = resolve;
  });
  let settling = 0;
  const heldSettle: DeliveryStore["settle"] = async (...args) => {
    settling++;
    await gate;
    return store.deliveries.settle(...args);
  };
  const deliveries = new Proxy(store.deliveries, {
    get(target, property) {
      if (property === "settle") return heldSettle;
      const value = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const w = worker(store, deliveries, 1);
  w.start();
  try {
    await until(() => target.arrivals.length >= 2 && settling >= 2, 3_000);
    // Both attempts reached the receiver though neither settle has finished.
    expect(target.arrivals.sort()).toEqual(events.map((e) => e.event.id).sort());
    expect(settling).toBe(2);
  } finally {
    openGate();
    await w.stop();
  }
  // Once the settles went through, both deliveries are recorded as succeeded.
  for (const { event } of events) {
    const [delivery] = await harness.inspect.deliveriesOf(event.id);
    expect(delivery?.status).toBe("succeeded");
  }
});

test("claims run ahead of the slots, but a destination never gets more than its limit", async () => {
  const slow = receiver(30);
  const { harness, events } = await storeWithEvents(slow.url, 12);
  const w = worker(harness.store, harness.store.deliveries, 2);
  w.start();
  try {
    await until(() => slow.arrivals.length >= 12);
    expect(slow.arrivals.sort()).toEqual(events.map((e) => e.event.id).sort());
    expect(slow.maxInFlight()).toBe(2);
  } finally {
    await w.stop();
  }
});

test("stop() sends the deliveries it already claimed, leaving none leased", async () => {
  const slow = receiver(40);
  const { harness, events } = await storeWithEvents(slow.url, 6);
  const w = worker(harness.store, harness.store.deliveries, 1);
  w.start();
  // The first attempt is under way, so the rest of the claim waits in the worker's queue.
  await until(() => slow.arrivals.length >= 1);
  await w.stop();
  const states = await Promise.all(
    events.map(async ({ event }) => (await harness.inspect.deliveriesOf(event.id))[0]),
  );
  const claimedButNotSent = states.filter(
    (d) => d?.status === "pending" && d.leaseUntil !== null && !slow.arrivals.includes(d.eventId),
  );
  expect(claimedButNotSent).toEqual([]);
  // Whatever was sent is recorded as such.
  for (const d of states) {
    if (slow.arrivals.includes(d?.eventId ?? "")) expect(d?.status).toBe("succeeded");
  }
});

/** `store.deliveries` with its claims counted. */
function countingClaims(store: SqliteStore) {
  const counts = { claims: 0 };
  const deliveries = new Proxy(store.deliveries, {
    get(target, property) {
      const value = Reflect.get(target, property);
      if (property === "claimDue") {
        return (...args: Parameters<DeliveryStore["claimDue"]>) => {
          counts.claims++;
          return store.deliveries.claimDue(...args);
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { deliveries, counts };
}

test("once a claim finds the queue dry, freed slots claim nothing until a signal", async () => {
  const target = receiver();
  const { harness, events } = await storeWithEvents(target.url, 3);
  const { deliveries, counts } = countingClaims(harness.store);
  const signal = new MemoryWorkSignal();
  // A poll interval longer than the test: only the start and the signal may wake the worker.
  const w = worker(harness.store, deliveries, 8, { signal, pollMs: 60_000 });
  w.start();
  try {
    await until(() => target.arrivals.length >= 3);
    await Bun.sleep(50);
    // One claim took all three; their three freed slots did not claim again (the old worker
    // claimed after each, finding nothing: a write for nothing).
    expect(counts.claims).toBe(1);
    expect(target.arrivals.sort()).toEqual(events.map((e) => e.event.id).sort());

    // New work and its signal: the worker claims again.
    const [hook] = await harness.store.integrations.listWebhooks(events[0]?.event.companyId ?? "");
    const next = outboxEvent(hook?.companyId ?? "", null, [hook?.id ?? ""], { when: new Date() });
    await harness.store.deliveries.saveEvent(next);
    signal.notify();
    await until(() => target.arrivals.length >= 4);
    expect(target.arrivals).toContain(next.event.id);
    expect(counts.claims).toBe(2);
  } finally {
    await w.stop();
  }
});

test("a retry is sent on schedule though the worker found the queue dry", async () => {
  const arrivals: number[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch() {
      arrivals.push(Date.now());
      return new Response(arrivals.length === 1 ? "boom" : "ok", {
        status: arrivals.length === 1 ? 500 : 200,
      });
    },
  });
  cleanups.push(() => server.stop(true));
  const { harness, events } = await storeWithEvents(`http://127.0.0.1:${server.port}/hook`, 1);
  // A poll interval longer than the test: nothing but the retry itself may wake the worker.
  const w = worker(harness.store, harness.store.deliveries, 8, {
    pollMs: 60_000,
    retrySchedule: [0.1],
  });
  w.start();
  try {
    await until(() => arrivals.length >= 2, 3_000);
    expect(arrivals).toHaveLength(2);
    const gap = (arrivals[1] ?? 0) - (arrivals[0] ?? 0);
    // 100 ms ± 20 % after the failed attempt, with room for a loaded machine.
    expect(gap).toBeGreaterThanOrEqual(75);
    expect(gap).toBeLessThan(1_000);
    const eventId = events[0]?.event.id ?? "";
    const status = async () => (await harness.inspect.deliveriesOf(eventId))[0]?.status;
    await until(async () => (await status()) === "succeeded");
    expect(await status()).toBe("succeeded");
  } finally {
    await w.stop();
  }
});

test("a backlog bigger than one claim drains without waiting for the poll timer", async () => {
  const target = receiver(5);
  const { harness, events } = await storeWithEvents(target.url, 12);
  const { deliveries } = countingClaims(harness.store);
  // No timer rescue: every claim after the first comes from a freed slot.
  const w = worker(harness.store, deliveries, 2, { pollMs: 60_000 });
  w.start();
  try {
    await until(() => target.arrivals.length >= 12);
    expect(target.arrivals.sort()).toEqual(events.map((e) => e.event.id).sort());
  } finally {
    await w.stop();
  }
});

/** A message on `channelId` for `event` (a handed-off delivery needs a message write). */
function messageFor(event: OutboxEvent, channelId: string): Message {
  const at = event.event.createdAt;
  return {
    id: event.event.messageId ?? "msg_x",
    companyId: event.event.companyId,
    channelId,
    channelType: "sms",
    direction: "inbound",
    integrationId: null,
    status: "received",
    provider: "sandbox",
    providerMessageId: null,
    to: ["+15550001111"],
    from: "+15550002222",
    payload: { text: "hi" },
    segments: null,
    credits: 0,
    error: null,
    history: [{ status: "received", at }],
    createdAt: at,
    updatedAt: at,
  };
}

test("a saved message's delivery goes to the worker from the write, leased, with no claim", async () => {
  const target = receiver();
  const { harness } = await storeWithEvents(target.url, 0);
  const { store } = harness;
  const [hook] = await store.integrations.listWebhooks(
    (await store.companies.listCompanies({ limit: 1 })).data[0]?.id ?? "",
  );
  if (hook === undefined) throw new Error("no webhook");
  const ch = channel(hook.companyId);
  await store.channels.createChannel(ch);
  // Records what claims hand out: a handed-off delivery must never be among it.
  const claimed: string[] = [];
  const deliveries = new Proxy(store.deliveries, {
    get(target, property) {
      const value = Reflect.get(target, property);
      if (property === "claimDue") {
        return async (...args: Parameters<DeliveryStore["claimDue"]>) => {
          const claims = await store.deliveries.claimDue(...args);
          claimed.push(...claims.map((c) => c.delivery.id));
          return claims;
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const w = worker(store, deliveries, 1);
  const directory = new WebhookDirectory(store.integrations);
  const messages = new NotifyingMessageStore(
    store.messages,
    new MemoryWorkSignal(),
    new DeliveryHandoff(w, directory),
  );
  w.start();
  try {
    const event = outboxEvent(hook.companyId, ch.id, [hook.id], { when: new Date() });
    const withMessage = { ...event, event: { ...event.event, messageId: nextId("msg") } };
    await messages.saveMessage(messageFor(withMessage, ch.id), [withMessage]);
    const [deliveryId] = withMessage.deliveries[0] ?? [];
    // Sent from memory: written leased, so no claim ever returned it.
    await until(() => target.arrivals.length >= 1);
    expect(target.arrivals).toEqual([withMessage.event.id]);
    await until(
      async () =>
        (await harness.inspect.deliveriesOf(withMessage.event.id))[0]?.status === "succeeded",
    );
    expect(claimed).not.toContain(deliveryId);

    // A write that fails gives the slot back: the next save is handed off again.
    await expectRejection(messages.saveMessage(messageFor(withMessage, ch.id), [withMessage]));
    const next = outboxEvent(hook.companyId, ch.id, [hook.id], { when: new Date() });
    const nextWithMessage = { ...next, event: { ...next.event, messageId: nextId("msg") } };
    await messages.saveMessage(messageFor(nextWithMessage, ch.id), [nextWithMessage]);
    await until(() => target.arrivals.length >= 2);
    expect(target.arrivals).toEqual([withMessage.event.id, nextWithMessage.event.id]);
    expect(claimed).toEqual([]);
  } finally {
    await w.stop();
  }
});

test("a claim that fails is tried again after the poll interval, without another signal", async () => {
  const target = receiver();
  const { harness, events } = await storeWithEvents(target.url, 1);
  const { store } = harness;
  let failures = 0;
  const deliveries = new Proxy(store.deliveries, {
    get(target, property) {
      const value = Reflect.get(target, property);
      if (property === "claimDue") {
        return (...args: Parameters<DeliveryStore["claimDue"]>) => {
          if (failures++ === 0) return Promise.reject(new Error("database is locked"));
          return store.deliveries.claimDue(...args);
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const w = worker(store, deliveries, 1);
  w.start();
  try {
    await until(() => target.arrivals.length >= 1, 2_000);
    expect(target.arrivals).toEqual(events.map((e) => e.event.id));
    expect(failures).toBeGreaterThan(1);
  } finally {
    await w.stop();
  }
});

test("a claim whose lease could end during its attempt is left for the next claim, not sent", async () => {
  const target = receiver();
  const { harness, events } = await storeWithEvents(target.url, 3);
  const { store } = harness;
  let claimed = 0;
  // The store leases as usual; the worker is told a lease shorter than an attempt (2 s) plus
  // the time a settle needs, as when a claim waited behind its company's or host's bound.
  const deliveries = new Proxy(store.deliveries, {
    get(target, property) {
      if (property === "claimDue") {
        return async (...args: Parameters<DeliveryStore["claimDue"]>) => {
          const claims = await store.deliveries.claimDue(...args);
          claimed += claims.length;
          return claims.map((claim) => ({ ...claim, leaseUntil: new Date(Date.now() + 2_500) }));
        };
      }
      const value = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const w = worker(store, deliveries, 8);
  w.start();
  try {
    await until(() => claimed >= events.length, 3_000);
    await Bun.sleep(50);
    expect(claimed).toBe(events.length);
    expect(target.arrivals).toEqual([]);
    const first = await store.deliveries.getDelivery(
      events[0]!.event.companyId,
      events[0]!.deliveries[0]![0],
    );
    expect(first?.delivery).toMatchObject({ status: "pending", attempts: 0 });
  } finally {
    await w.stop();
  }
});
