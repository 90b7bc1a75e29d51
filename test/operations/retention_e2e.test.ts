/**
 * README "Retention": a server started with SENDEASY_RETENTION_DAYS deletes a message, its
 * events and deliveries once they are older than that (the clock moved with `setSystemTime`),
 * and the settings of README "Operating it" are checked at start.
 */
import { afterAll, beforeAll, expect, setSystemTime, test } from "bun:test";
import { parseEnv } from "../../server/env.ts";
import { type Receiver, startReceiver } from "../support/receiver.ts";
import {
  ADDRESSES,
  SEED,
  startTestServer,
  type TestServer,
  waitFor,
} from "../support/test_server.ts";

let t: TestServer;
let receiver: Receiver;
beforeAll(async () => {
  receiver = startReceiver();
  t = await startTestServer({
    SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true",
    SENDEASY_RETENTION_DAYS: "30",
  });
});
afterAll(async () => {
  setSystemTime();
  await t.close();
  receiver.close();
});

test("after 30 days a delivered message, its events and deliveries are gone; newer ones stay", async () => {
  const channel = await t.channel({ type: "sms", address: ADDRESSES.sms });
  await t.admin("POST", "/integrations", {
    kind: "webhook",
    name: "crm",
    scope: "general",
    url: receiver.url,
  });
  const { token } = await t.token(channel.id);
  const sent = await t.send(token, SEED.sms);
  expect(sent.status).toBe(200);
  const id = sent.body.id;
  // The sandbox reports delivery; both events reach the receiver.
  await waitFor(() => (receiver.received.length >= 2 ? true : undefined), 10_000);
  const events = (await t.admin("GET", "/events")).body.data;
  expect(events.length).toBeGreaterThanOrEqual(2);
  await waitFor(async () => {
    const list = (await t.admin("GET", "/deliveries?status=succeeded")).body.data;
    return list.length >= events.length ? true : undefined;
  }, 10_000);

  setSystemTime(new Date(Date.now() + 31 * 86_400_000));
  const recent = await t.send(token, SEED.sms);
  const run = await t.server.operations.retention?.runOnce();
  expect(run?.ran).toBe(true);
  expect((await t.admin("GET", `/messages/${id}`)).status).toBe(404);
  for (const event of events)
    expect((await t.admin("GET", `/events/${event.id}`)).status).toBe(404);
  expect((await t.admin("GET", `/messages/${recent.body.id}`)).status).toBe(200);
  setSystemTime();
});

test("operator settings are checked at start, every problem named", () => {
  const bad = parseEnv({
    SENDEASY_RETENTION_DAYS: "0",
    SENDEASY_OPERATOR_WEBHOOK_URL: "ftp://ops.example.com",
  });
  expect(bad.ok).toBe(false);
  const problems = bad.ok ? [] : bad.problems.join("\n");
  expect(problems).toContain("SENDEASY_RETENTION_DAYS must be a whole number from 1");
  expect(problems).toContain("SENDEASY_OPERATOR_WEBHOOK_URL must be an http(s) URL");
  expect(problems).toContain("SENDEASY_OPERATOR_WEBHOOK_SECRET must be set");
  const lone = parseEnv({ SENDEASY_OPERATOR_WEBHOOK_SECRET: `whsec_${"A".repeat(44)}` });
  expect(lone.ok ? [] : lone.problems).toEqual([
    "SENDEASY_OPERATOR_WEBHOOK_SECRET is set without SENDEASY_OPERATOR_WEBHOOK_URL",
  ]);
  const good = parseEnv({
    SENDEASY_RETENTION_DAYS: "90",
    SENDEASY_OPERATOR_WEBHOOK_URL: "https://ops.example.com/alerts",
    SENDEASY_OPERATOR_WEBHOOK_SECRET: `whsec_${"A".repeat(44)}`,
  });
  expect(good.ok && good.env.retentionDays).toBe(90);
  expect(good.ok && good.env.operatorWebhook?.url).toBe("https://ops.example.com/alerts");
  const unset = parseEnv({});
  expect(unset.ok && [unset.env.retentionDays, unset.env.operatorWebhook]).toEqual([null, null]);
});
