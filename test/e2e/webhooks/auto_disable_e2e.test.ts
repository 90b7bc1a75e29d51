/**
 * docs/api.md#webhooks: a webhook whose deliveries all failed for 5 days is disabled, with its reason
 * shown; the clock is moved with `setSystemTime`, which the server reads.
 */
import { afterAll, beforeAll, expect, setSystemTime, test } from "bun:test";
import { type Receiver, startReceiver } from "../../support/receiver.ts";
import { ADDRESSES, startTestServer, type TestServer, waitFor } from "../../support/test_server.ts";

let t: TestServer;
let receiver: Receiver;
beforeAll(async () => {
  receiver = startReceiver();
  receiver.respond = () => new Response("down", { status: 503 });
  t = await startTestServer({
    SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true",
    SENDEASY_WEBHOOK_RETRY_SCHEDULE: "0.3,0.3,0.3,0.3,0.3,0.3",
  });
});
afterAll(async () => {
  setSystemTime();
  await t.close();
  receiver.close();
});

test("failing for 5 days disables the webhook as failing; failing for less does not", async () => {
  const channel = await t.channel({ type: "whatsapp", address: ADDRESSES.whatsapp });
  const created = await t.admin("POST", "/integrations", {
    kind: "webhook",
    name: "always down",
    scope: "general",
    url: receiver.url,
    events: ["message.received"],
  });
  const id = created.body.integration.id;
  const start = Date.now();
  await t.admin("POST", `/channels/${channel.id}/simulate-inbound`, {
    from: "5511988887777",
    text: "hi",
  });
  await waitFor(() => (receiver.received.length >= 2 ? true : undefined), 5000);
  expect((await t.admin("GET", `/integrations/${id}`)).body.enabled).toBe(true);

  // Four days and 23 hours of failures: still enabled.
  setSystemTime(new Date(start + (5 * 24 - 1) * 3600 * 1000));
  const before = receiver.received.length;
  await waitFor(() => (receiver.received.length > before ? true : undefined), 5000);
  await Bun.sleep(200); // the attempt is settled (and a disable written) after the answer
  expect((await t.admin("GET", `/integrations/${id}`)).body.enabled).toBe(true);

  // Past five days: the next failure disables it.
  setSystemTime(new Date(start + 5 * 24 * 3600 * 1000 + 60_000));
  const disabled = await waitFor(async () => {
    const w = (await t.admin("GET", `/integrations/${id}`)).body;
    return w.enabled === false ? w : undefined;
  }, 5000);
  expect(disabled.disabledReason).toBe("failing");
});
