/**
 * README "Operator alerts": the operator's own alert URL may be a loopback or private address
 * (an internal receiver) without opening private addresses to the tenants' webhooks.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { generateWebhookSecret } from "../../core/signatures.ts";
import { type Receiver, startReceiver } from "../support/receiver.ts";
import {
  ADDRESSES,
  SEED,
  startTestServer,
  type TestServer,
  waitFor,
} from "../support/test_server.ts";

const SECRET = generateWebhookSecret((n) => crypto.getRandomValues(new Uint8Array(n)));

let t: TestServer;
let operator: Receiver;
beforeAll(async () => {
  operator = startReceiver();
  operator.secrets = [SECRET];
  t = await startTestServer({
    SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "false",
    SENDEASY_OPERATOR_WEBHOOK_URL: operator.url,
    SENDEASY_OPERATOR_WEBHOOK_SECRET: SECRET,
  });
});
afterAll(async () => {
  await t.close();
  operator.close();
});

test("an alert reaches the operator's loopback receiver while tenants stay refused", async () => {
  const tenantHook = await t.admin("POST", "/integrations", {
    kind: "webhook",
    name: "loopback",
    scope: "general",
    url: operator.url,
  });
  expect(tenantHook.status).toBeGreaterThanOrEqual(400);
  expect(tenantHook.status).toBeLessThan(500);

  const channel = await t.channel({ type: "sms", address: ADDRESSES.sms, credits: 1 });
  const { token } = await t.token(channel.id);
  expect((await t.send(token, SEED.sms)).status).toBe(200);
  expect((await t.send(token, SEED.sms)).status).toBe(402);
  const [alert] = await waitFor(() => {
    const got = operator.received.filter((r) => r.type === "channel.credits_exhausted");
    return got.length > 0 ? got : undefined;
  }, 10_000);
  expect(alert?.verified).toBe(true);
  expect(alert?.body.data).toMatchObject({ channelId: channel.id });
});
