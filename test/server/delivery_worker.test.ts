/**
 * The delivery worker against a real SQLite store and a real receiver: a destination's slot is
 * held by the HTTP attempt only, not by the settle that records it.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemoryWorkSignal } from "../../adapters/cache/work_signal_memory.ts";
import { HttpWebhookTransport } from "../../adapters/webhooks/http_transport.ts";
import type { DeliveryStore } from "../../core/ports/delivery_store.ts";
import { createLogger } from "../../server/logger.ts";
import { WebhookDirectory } from "../../server/services/webhook_directory.ts";
import { DeliveryWorker } from "../../server/worker/delivery_worker.ts";
import { makeSqliteHarness } from "../adapters/store/_sqlite_harness.ts";
import { company, outboxEvent, webhook } from "../contracts/_delivery_fixtures.ts";

const dir = mkdtempSync(join(tmpdir(), "sendeasy-worker-"));
let receiver: ReturnType<typeof Bun.serve>;
const arrivals: string[] = [];

beforeAll(() => {
  receiver = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      arrivals.push(request.headers.get("webhook-id") ?? "?");
      return new Response("ok");
    },
  });
});
afterAll(() => {
  receiver.stop(true);
  rmSync(dir, { recursive: true, force: true });
});

test("with one slot per destination, the next attempt goes out while the last settle waits", async () => {
  const harness = await makeSqliteHarness(dir);
  const { store } = harness;
  const co = company();
  await store.companies.createCompany(co);
  const hook = webhook(co.id, {
    url: `http://127.0.0.1:${receiver.port}/hook`,
    signingSecrets: [
      { secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", createdAt: new Date(), expiresAt: null },
    ],
  });
  await store.integrations.createWebhook(hook);
  const first = outboxEvent(co.id, null, [hook.id], { when: new Date() });
  const second = outboxEvent(co.id, null, [hook.id], { when: new Date() });
  await store.deliveries.saveEvent(first);
  await store.deliveries.saveEvent(second);

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
  const worker = new DeliveryWorker({
    deliveries,
    integrations: store.integrations,
    webhooks: new WebhookDirectory(store.integrations),
    signal: new MemoryWorkSignal(),
    logger: createLogger("silent"),
    perDestination: 1,
    pollMs: 20,
    attempt: {
      transport: new HttpWebhookTransport({ allowPrivate: true }),
      now: () => Date.now(),
      random: Math.random,
      newAttemptId: () => `att_${crypto.randomUUID()}`,
      retrySchedule: [1],
      timeoutMs: 2_000,
    },
  });
  worker.start();
  try {
    const deadline = Date.now() + 3_000;
    while (arrivals.length < 2 && Date.now() < deadline) await Bun.sleep(10);
    // Both attempts reached the receiver though neither settle has finished.
    expect(arrivals.sort()).toEqual([first.event.id, second.event.id].sort());
    expect(settling).toBe(2);
  } finally {
    openGate();
    await worker.stop();
  }
  // Once the settles went through, both deliveries are recorded as succeeded.
  for (const { event } of [first, second]) {
    const [delivery] = await harness.inspect.deliveriesOf(event.id);
    expect(delivery?.status).toBe("succeeded");
  }
  await harness.cleanup();
});
