/**
 * `Retry-After` and head-of-line blocking (docs/architecture.md#the-life-of-one-delivery).
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { type Receiver, startReceiver } from "../../support/receiver.ts";
import {
  ADDRESSES,
  SEED,
  startTestServer,
  type TestServer,
  waitFor,
} from "../../support/test_server.ts";

let t: TestServer;
const open: Receiver[] = [];
beforeAll(async () => {
  t = await startTestServer({
    SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true",
    SENDEASY_WEBHOOK_RETRY_SCHEDULE: "0.8,0.8,30",
    SENDEASY_WEBHOOK_TIMEOUT_MS: "1500",
  });
});
afterAll(async () => {
  await t.close();
  for (const r of open) r.close();
});

function receiver(): Receiver {
  const r = startReceiver();
  open.push(r);
  return r;
}

async function channelWithHook(url: string, events: string[] | null = ["message.sent"]) {
  const channel = await t.channel({ type: "sms", address: ADDRESSES.sms });
  const hook = await t.admin("POST", "/integrations", {
    kind: "webhook",
    name: "hook",
    scope: "channel",
    channelId: channel.id,
    url,
    ...(events === null ? {} : { events }),
  });
  expect(hook.status).toBe(201);
  return {
    channel,
    token: (await t.token(channel.id, { rateLimit: { perSecond: 1000, burst: 1000 } })).token,
  };
}

test("Retry-After is honoured, and clamped to twice the scheduled delay", async () => {
  const honoured = receiver();
  honoured.respond = (_r, n) =>
    n === 1
      ? new Response("", { status: 503, headers: { "retry-after": "1" } })
      : new Response("ok");
  const clamped = receiver();
  clamped.respond = (_r, n) =>
    n === 1
      ? new Response("", { status: 429, headers: { "retry-after": "100" } })
      : new Response("ok");
  const a = await channelWithHook(honoured.url);
  const b = await channelWithHook(clamped.url);
  await Promise.all([t.send(a.token, SEED.sms), t.send(b.token, SEED.sms)]);
  await waitFor(
    () => (honoured.received.length >= 2 && clamped.received.length >= 2 ? true : undefined),
    5000,
  );
  // Scheduled 0.8 s ± 20 % (at most 0.96 s): Retry-After 1 s wins.
  const honouredGap = honoured.received[1]!.at - honoured.received[0]!.at;
  expect(honouredGap).toBeGreaterThanOrEqual(990);
  expect(honouredGap).toBeLessThan(1600);
  // Retry-After 100 s is clamped to 2 × 0.8 s.
  const clampedGap = clamped.received[1]!.at - clamped.received[0]!.at;
  expect(clampedGap).toBeGreaterThanOrEqual(1550);
  expect(clampedGap).toBeLessThan(2600);
});

test("a dead receiver does not slow a healthy one", async () => {
  const dead = receiver();
  dead.respond = async () => {
    await Bun.sleep(3000);
    return new Response("too late");
  };
  const healthy = receiver();
  // Both as general webhooks: every event goes to both destinations.
  for (const url of [dead.url, healthy.url]) {
    expect(
      (
        await t.admin("POST", "/integrations", {
          kind: "webhook",
          name: "g",
          scope: "general",
          url,
          events: ["message.sent"],
        })
      ).status,
    ).toBe(201);
  }
  const { token } = await channelWithHook(healthy.url, ["message.read"]);
  const sends = 40;
  for (let i = 0; i < sends; i++) expect((await t.send(token, SEED.sms)).status).toBe(200);
  await waitFor(() => (healthy.received.length >= sends ? true : undefined), 5000);
  const latencies = healthy.received
    .map((d) => d.at - Date.parse(d.body.createdAt))
    .sort((x, y) => x - y);
  const p95 = latencies[Math.floor(latencies.length * 0.95)]!;
  // The dead receiver holds at most its per-destination share of the worker while it hangs.
  expect(dead.received.length).toBeLessThanOrEqual(24);
  expect(p95).toBeLessThan(500);
});
