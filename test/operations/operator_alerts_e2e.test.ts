/**
 * README "Operator alerts": signed events at SENDEASY_OPERATOR_WEBHOOK_URL, verified at a real
 * receiver with the reference `standardwebhooks` library. The clock is moved with
 * `setSystemTime` (the server reads it) to drive a failing webhook to auto-disable; a Twilio
 * fake answers 20003 to a wrong auth token.
 */
import { afterAll, beforeAll, expect, setSystemTime, test } from "bun:test";
import { generateWebhookSecret } from "../../core/signatures.ts";
import { TwilioFake } from "../support/fakes/twilio_fake.ts";
import { type Received, type Receiver, startReceiver } from "../support/receiver.ts";
import {
  ADDRESSES,
  SEED,
  startTestServer,
  type TestServer,
  waitFor,
} from "../support/test_server.ts";

const SECRET = generateWebhookSecret((n) => crypto.getRandomValues(new Uint8Array(n)));
const ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";

let t: TestServer;
let operator: Receiver;
let tenant: Receiver;
let twilio: TwilioFake;
beforeAll(async () => {
  operator = startReceiver();
  operator.secrets = [SECRET];
  tenant = startReceiver();
  tenant.respond = () => new Response("down", { status: 503 });
  twilio = new TwilioFake(ACCOUNT_SID, "fedcba9876543210fedcba9876543210");
  t = await startTestServer({
    SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true",
    SENDEASY_WEBHOOK_RETRY_SCHEDULE: "0.2,0.2",
    SENDEASY_OPERATOR_WEBHOOK_URL: operator.url,
    SENDEASY_OPERATOR_WEBHOOK_SECRET: SECRET,
  });
});
afterAll(async () => {
  setSystemTime();
  await t.close();
  operator.close();
  tenant.close();
  twilio.stop();
});

const alertsOf = (type: string): Received[] => operator.received.filter((r) => r.type === type);
const rowsOf = (topic: string): number =>
  t.db
    .query<{ n: number }, [string]>("SELECT count(*) AS n FROM operator_alerts WHERE topic = ?")
    .get(topic)?.n ?? 0;

async function inbound(channelId: string): Promise<void> {
  const res = await t.admin("POST", `/channels/${channelId}/simulate-inbound`, {
    from: "5511988887777",
    text: "hi",
  });
  expect(res.status).toBeLessThan(300);
}

test("exhausted deliveries alert once per failing run; auto-disable alerts, signed", async () => {
  const channel = await t.channel({ type: "whatsapp", address: ADDRESSES.whatsapp });
  const created = await t.admin("POST", "/integrations", {
    kind: "webhook",
    name: "always down",
    scope: "general",
    url: tenant.url,
    events: ["message.received"],
  });
  const id = created.body.integration.id;
  const start = Date.now();
  await inbound(channel.id);
  // Three attempts (the schedule's two retries), then the delivery is exhausted.
  const [exhausted] = await waitFor(() => {
    const got = alertsOf("delivery.exhausted");
    return got.length > 0 ? got : undefined;
  }, 10_000);
  expect(exhausted?.verified).toBe(true);
  expect(exhausted?.body.data).toMatchObject({ webhookId: id, attempts: 3, lastStatusCode: 503 });
  expect(exhausted?.headers["webhook-id"]).toMatch(/^evt_/);

  // A second delivery exhausted in the same failing run is the same incident: no new alert.
  await inbound(channel.id);
  await waitFor(async () => {
    const list = await t.admin("GET", `/deliveries?webhookId=${id}&status=failed`);
    return list.body.data.length === 2 ? true : undefined;
  }, 10_000);
  expect(rowsOf("delivery.exhausted")).toBe(1);

  // Past five days of failures: the next failure disables the webhook and tells the operator.
  setSystemTime(new Date(start + 5 * 24 * 3600 * 1000 + 60_000));
  await inbound(channel.id);
  const [disabled] = await waitFor(() => {
    const got = alertsOf("webhook.disabled");
    return got.length > 0 ? got : undefined;
  }, 10_000);
  expect(disabled?.verified).toBe(true);
  expect(disabled?.body.data).toMatchObject({ webhookId: id, reason: "failing" });
  expect((await t.admin("GET", `/integrations/${id}`)).body.enabled).toBe(false);
  expect(rowsOf("webhook.disabled")).toBe(1);
  setSystemTime();
});

test("a Twilio 20003 alerts channel.provider_auth_failed once per channel and credentials", async () => {
  const channel = await t.channel({
    type: "sms",
    provider: "twilio",
    address: ADDRESSES.sms,
    config: { accountSid: ACCOUNT_SID, authToken: "0".repeat(32), baseUrl: twilio.url },
  });
  const { token } = await t.token(channel.id);
  for (let i = 0; i < 3; i++) {
    const res = await t.send(token, SEED.sms);
    expect(res.status).toBe(502);
    expect(res.body.provider.code).toBe("20003");
  }
  const [alert] = await waitFor(() => {
    const got = alertsOf("channel.provider_auth_failed");
    return got.length > 0 ? got : undefined;
  }, 10_000);
  expect(alert?.verified).toBe(true);
  expect(alert?.body.data).toMatchObject({
    channelId: channel.id,
    provider: "twilio",
    code: "20003",
  });
  expect(alert?.raw).not.toContain("0".repeat(32));
  expect(rowsOf("channel.provider_auth_failed")).toBe(1);
});

test("a channel out of credits alerts channel.credits_exhausted once", async () => {
  const channel = await t.channel({ type: "sms", address: ADDRESSES.sms, credits: 1 });
  const { token } = await t.token(channel.id);
  expect((await t.send(token, SEED.sms)).status).toBe(200);
  for (let i = 0; i < 2; i++) expect((await t.send(token, SEED.sms)).status).toBe(402);
  const [alert] = await waitFor(() => {
    const got = alertsOf("channel.credits_exhausted");
    return got.length > 0 ? got : undefined;
  }, 10_000);
  expect(alert?.verified).toBe(true);
  expect(alert?.body.data).toMatchObject({ channelId: channel.id, source: "local", balance: 0 });
  expect(rowsOf("channel.credits_exhausted")).toBe(1);
});
