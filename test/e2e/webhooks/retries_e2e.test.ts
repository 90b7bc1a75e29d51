/**
 * Failures and retries (docs/api.md#webhooks) against real receivers, with a shortened schedule.
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
    SENDEASY_WEBHOOK_RETRY_SCHEDULE: "0.3,0.3,0.3",
    SENDEASY_WEBHOOK_TIMEOUT_MS: "400",
  });
});
afterAll(async () => {
  await t.close();
  for (const r of open) r.close();
});

/** A channel with one webhook that only wants `message.sent`, and one send on it. */
async function oneEventTo(receiver: Receiver): Promise<{ webhookId: string; eventId: string }> {
  const channel = await t.channel({ type: "sms", address: ADDRESSES.sms });
  const hook = await t.admin("POST", "/integrations", {
    kind: "webhook",
    name: "hook",
    scope: "channel",
    channelId: channel.id,
    url: receiver.url,
    events: ["message.sent"],
  });
  expect(hook.status).toBe(201);
  const { token } = await t.token(channel.id);
  expect((await t.send(token, SEED.sms)).status).toBe(200);
  const first = await waitFor(() => receiver.received[0]);
  return { webhookId: hook.body.integration.id, eventId: first.id };
}

async function deliveryOf(webhookId: string): Promise<any> {
  const list = await t.admin("GET", `/deliveries?webhookId=${webhookId}`);
  expect(list.body.data.length).toBe(1);
  return (await t.admin("GET", `/deliveries/${list.body.data[0].id}`)).body;
}

function receiver(): Receiver {
  const r = startReceiver();
  open.push(r);
  return r;
}

test("a receiver answering 500, then timing out, then 200 sees the retries at the schedule", async () => {
  const r = receiver();
  r.respond = async (_request, n) => {
    if (n === 1) return new Response("boom", { status: 500 });
    if (n === 2) {
      await Bun.sleep(1000);
      return new Response("late");
    }
    return new Response("ok");
  };
  const { webhookId, eventId } = await oneEventTo(r);
  await waitFor(() => (r.received.length >= 3 ? true : undefined), 5000);
  const [a, b, c] = r.received;
  expect(new Set([a!.id, b!.id, c!.id])).toEqual(new Set([eventId]));
  // 0.3 s ± 20 % after the first answer; then the 0.4 s timeout plus 0.3 s ± 20 %.
  expect(b!.at - a!.at).toBeGreaterThanOrEqual(230);
  expect(b!.at - a!.at).toBeLessThan(800);
  expect(c!.at - b!.at).toBeGreaterThanOrEqual(400 + 230);
  expect(c!.at - b!.at).toBeLessThan(1500);

  const delivery = await waitFor(async () => {
    const d = await deliveryOf(webhookId);
    return d.status === "succeeded" ? d : undefined;
  });
  expect(delivery.attempts.map((x: any) => x.statusCode)).toEqual([500, null, 200]);
  expect(delivery.attempts[0].responseBody).toBe("boom");
  expect(delivery.attempts[1].error).toContain("Timed out");
  expect(delivery.attempts.every((x: any) => x.durationMs >= 0 && x.trigger === "scheduled")).toBe(
    true,
  );
  await Bun.sleep(500);
  expect(r.received.length).toBe(3);
});

test("a redirect counts as a failure and is not followed; the schedule ends in failed", async () => {
  const elsewhere = receiver();
  const r = receiver();
  r.respond = () => new Response(null, { status: 302, headers: { location: elsewhere.url } });
  const { webhookId } = await oneEventTo(r);
  const delivery = await waitFor(async () => {
    const d = await deliveryOf(webhookId);
    return d.status === "failed" ? d : undefined;
  }, 5000);
  expect(delivery.attempts.map((x: any) => x.statusCode)).toEqual([302, 302, 302, 302]);
  expect(delivery.attempts[0].error).toContain("Redirect");
  expect(elsewhere.received).toEqual([]);
  // A failed delivery can be retried by hand.
  r.respond = () => new Response("ok");
  expect((await t.admin("POST", `/deliveries/${delivery.id}/retry`)).status).toBe(202);
  const retried = await waitFor(async () => {
    const d = await deliveryOf(webhookId);
    return d.status === "succeeded" ? d : undefined;
  });
  expect(retried.attempts.at(-1).statusCode).toBe(200);
});

test("a 410 answer disables the webhook at once, with its reason; a PATCH re-enables it", async () => {
  const r = receiver();
  r.respond = () => new Response("gone", { status: 410 });
  const { webhookId } = await oneEventTo(r);
  const disabled = await waitFor(async () => {
    const w = await t.admin("GET", `/integrations/${webhookId}`);
    return w.body.enabled === false ? w.body : undefined;
  });
  expect(disabled.disabledReason).toBe("gone");
  const delivery = await deliveryOf(webhookId);
  expect(delivery.status).toBe("failed");
  expect(delivery.attempts.length).toBe(1);
  const enabled = await t.admin("PATCH", `/integrations/${webhookId}`, { enabled: true });
  expect(enabled.body.enabled).toBe(true);
  expect(enabled.body.disabledReason).toBeUndefined();
});

test("integration.test reaches only the tested webhook and answers the attempt", async () => {
  const tested = receiver();
  const bystander = receiver();
  // An events filter that nothing here matches: only the test event may arrive (it ignores
  // the filter), not late events of earlier tests' messages.
  const hook = await t.admin("POST", "/integrations", {
    kind: "webhook",
    name: "t",
    scope: "general",
    url: tested.url,
    events: ["message.read"],
  });
  await t.admin("POST", "/integrations", {
    kind: "webhook",
    name: "b",
    scope: "general",
    url: bystander.url,
    events: ["message.read"],
  });
  const res = await t.admin("POST", `/integrations/${hook.body.integration.id}/test`);
  expect(res.status).toBe(200);
  expect(res.body.attempt.statusCode).toBe(200);
  expect(res.body.status).toBe("succeeded");
  expect(tested.received.length).toBe(1);
  expect(tested.received[0]!.body).toMatchObject({ type: "integration.test", channel: null });
  expect(bystander.received).toEqual([]);
});
