/**
 * Signing-secret rotation (docs/api.md#webhooks): for 24 h both secrets sign, so a receiver holding only
 * the old secret still verifies; after that only the new one does. The clock is faked with
 * `setSystemTime`, which the server and the reference library both read.
 */
import { afterAll, beforeAll, expect, setSystemTime, test } from "bun:test";
import { type Receiver, startReceiver } from "../../support/receiver.ts";
import { ADDRESSES, startTestServer, type TestServer, waitFor } from "../../support/test_server.ts";

let t: TestServer;
let receiver: Receiver;
beforeAll(async () => {
  receiver = startReceiver();
  t = await startTestServer({ SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true" });
});
afterAll(async () => {
  setSystemTime();
  await t.close();
  receiver.close();
});

test("a receiver holding only the old secret verifies for 24 h after a rotation, and not after", async () => {
  const channel = await t.channel({ type: "whatsapp", address: ADDRESSES.whatsapp });
  const created = await t.admin("POST", "/integrations", {
    kind: "webhook",
    name: "rotating",
    scope: "general",
    url: receiver.url,
    events: ["message.received"],
  });
  const oldSecret: string = created.body.signingSecret;
  const rotated = await t.admin("POST", `/integrations/${created.body.integration.id}/rotate`);
  expect(rotated.status).toBe(200);
  const newSecret: string = rotated.body.signingSecret;
  expect(newSecret).not.toBe(oldSecret);
  const secrets = await t.admin(
    "GET",
    `/integrations/${created.body.integration.id}/signing-secret`,
  );
  expect(secrets.body.signingSecret).toBe(newSecret);
  expect(secrets.body.previous[0].signingSecret).toBe(oldSecret);

  const inbound = async (text: string) => {
    const before = receiver.received.length;
    await t.admin("POST", `/channels/${channel.id}/simulate-inbound`, {
      from: "5511988887777",
      text,
    });
    return waitFor(() => receiver.received[before]);
  };

  receiver.secrets = [oldSecret];
  const start = Date.now();
  setSystemTime(new Date(start + 23 * 3600 * 1000));
  const during = await inbound("during the overlap");
  expect(during.headers["webhook-signature"]!.split(" ").length).toBe(2);
  expect(during.verified).toBe(true);

  setSystemTime(new Date(start + 24 * 3600 * 1000 + 60_000));
  const after = await inbound("after the overlap");
  expect(after.headers["webhook-signature"]!.split(" ").length).toBe(1);
  expect(after.verified).toBe(false);
  receiver.secrets = [newSecret];
  const again = await inbound("with the new secret");
  expect(again.verified).toBe(true);
});
