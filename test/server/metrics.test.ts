/**
 * GET /metrics: absent without SENDEASY_METRICS_TOKEN, bearer-only with it, valid Prometheus
 * text (promtool), counters that move with sends and webhook attempts, gauges read from the
 * store, and no id, address or token in any label.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Receiver, startReceiver } from "../support/receiver.ts";
import {
  ADDRESSES,
  SEED,
  startTestServer,
  type TestServer,
  waitFor,
} from "../support/test_server.ts";
import { expectPromtoolClean, promtoolAvailable, sample } from "./_metrics_text.ts";

const TOKEN = "metrics-token-for-tests-0123456789";
const scrape = async (t: TestServer, token: string | null = TOKEN) =>
  fetch(
    `${t.url}/metrics`,
    token === null ? {} : { headers: { authorization: `Bearer ${token}` } },
  );
const text = async (t: TestServer) => (await scrape(t)).text();

describe("without SENDEASY_METRICS_TOKEN", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  test("there is no /metrics (404 in the error shape)", async () => {
    const res = await scrape(t);
    expect(res.status).toBe(404);
    expect((await res.json()).error).toBe("NOT_FOUND");
  });
});

describe("with SENDEASY_METRICS_TOKEN", () => {
  let t: TestServer;
  let hook: Receiver;
  let sms = { id: "", token: "" };
  beforeAll(async () => {
    t = await startTestServer({
      SENDEASY_METRICS_TOKEN: TOKEN,
      SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true",
      SENDEASY_WEBHOOK_RETRY_SCHEDULE: "3600",
    });
    hook = startReceiver();
    const channel = await t.channel({ type: "sms", address: ADDRESSES.sms });
    sms = { id: channel.id, token: (await t.token(channel.id)).token };
    const created = await t.admin("POST", "/integrations", {
      kind: "webhook",
      name: "events",
      scope: "general",
      url: hook.url,
      events: ["message.sent"],
    });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await t.close();
    hook.close();
  });

  test("no bearer or a wrong one: 401 in the error shape", async () => {
    for (const token of [null, "wrong", `${TOKEN}x`]) {
      const res = await scrape(t, token);
      expect(res.status).toBe(401);
      expect((await res.json()).error).toBe("ERR_NO_PERMISSION");
    }
  });

  test("sends and webhook attempts move this instance's counters", async () => {
    const before = await text(t);
    const sent = { channel_type: "sms", provider: "sandbox", outcome: "sent" };
    const startSends = sample(before, "sendeasy_sends_total", sent) ?? 0;
    const ok = { outcome: "succeeded", trigger: "scheduled" };
    const startOk = sample(before, "sendeasy_webhook_attempts_total", ok) ?? 0;

    expect((await t.send(sms.token, SEED.sms)).status).toBe(200);
    await waitFor(() => (hook.received.length >= 1 ? true : undefined), 10_000);
    hook.respond = () => new Response("down", { status: 503 });
    expect((await t.send(sms.token, SEED.sms)).status).toBe(200);
    const retrying = { outcome: "retrying", trigger: "scheduled" };
    // Once the failed attempt is stored, its delivery waits an hour: pending, but not due.
    const after = await waitFor(async () => {
      const now = await text(t);
      const moved = (sample(now, "sendeasy_webhook_attempts_total", retrying) ?? 0) >= 1;
      return moved && sample(now, "sendeasy_delivery_oldest_due_age_seconds") === 0
        ? now
        : undefined;
    }, 10_000);

    expect(sample(after, "sendeasy_sends_total", sent)).toBe(startSends + 2);
    expect(sample(after, "sendeasy_webhook_attempts_total", ok)).toBe(startOk + 1);
    const histogram = { channel_type: "sms", provider: "sandbox" };
    expect(sample(after, "sendeasy_provider_request_duration_seconds_count", histogram)).toBe(
      startSends + 2,
    );
    expect(sample(after, "sendeasy_messages_queued")).toBe(0);
    // Nothing that identifies a company, a recipient or a credential.
    for (const secret of [sms.id, sms.token, SEED.sms.to, ADDRESSES.sms, TOKEN, t.adminKey]) {
      expect(after).not.toContain(secret);
    }
  });

  test("a disabled webhook shows in the gauge read from the store", async () => {
    const created = await t.admin("POST", "/integrations", {
      kind: "webhook",
      name: "off",
      scope: "general",
      url: hook.url,
    });
    const id = created.body.integration?.id ?? created.body.id;
    expect((await t.admin("PATCH", `/integrations/${id}`, { enabled: false })).status).toBe(200);
    expect(sample(await text(t), "sendeasy_webhooks_disabled", { reason: "manual" })).toBe(1);
  });

  test.skipIf(!promtoolAvailable())("promtool check metrics finds nothing to say", async () => {
    const res = await scrape(t);
    expect(res.headers.get("content-type")).toStartWith("text/plain");
    await expectPromtoolClean(await res.text());
  });
});

describe("the delivery backlog's age, read from the store", () => {
  let t: TestServer;
  let now = Date.UTC(2026, 0, 1);
  beforeAll(async () => {
    // No worker: the deliveries stay due, and the clock says how long they have waited.
    t = await startTestServer(
      { SENDEASY_METRICS_TOKEN: TOKEN, SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true" },
      { start: { worker: false, clock: { now: () => now } } },
    );
  });
  afterAll(() => t.close());

  test("the oldest due delivery's age follows the clock; none due reads 0", async () => {
    expect(sample(await text(t), "sendeasy_delivery_oldest_due_age_seconds")).toBe(0);
    const channel = await t.channel({ type: "sms", address: ADDRESSES.sms });
    const { token } = await t.token(channel.id);
    const hook = startReceiver();
    try {
      const created = await t.admin("POST", "/integrations", {
        kind: "webhook",
        name: "events",
        scope: "general",
        url: hook.url,
        events: ["message.sent"],
      });
      expect(created.status).toBe(201);
      expect((await t.send(token, SEED.sms)).status).toBe(200);
      now += 90_000;
      expect((await t.send(token, SEED.sms)).status).toBe(200);
      now += 30_000;
      expect(sample(await text(t), "sendeasy_delivery_oldest_due_age_seconds")).toBe(120);
    } finally {
      hook.close();
    }
  });
});
