/**
 * Destinations resolving to loopback, private, link-local or metadata addresses are refused at
 * creation and at delivery, after DNS resolution (docs/api.md#webhooks).
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

// The resolver the server uses: tests change its answer. 203.0.113.0/24 is TEST-NET-3 (reserved),
// 93.184.216.34 a public address: nothing ever connects to either, the guard decides first.
const answers = new Map<string, string[]>();
let t: TestServer;
let receiver: Receiver;
beforeAll(async () => {
  receiver = startReceiver();
  t = await startTestServer(
    { SENDEASY_WEBHOOK_RETRY_SCHEDULE: "0.2,0.2" },
    { start: { lookup: async (host) => answers.get(host) ?? [] } },
  );
});
afterAll(async () => {
  await t.close();
  receiver.close();
});

test("private, loopback, link-local and metadata destinations are refused at creation", async () => {
  answers.set("internal.example.test", ["10.1.2.3"]);
  answers.set("mixed.example.test", ["93.184.216.34", "192.168.1.10"]);
  for (const url of [
    "http://127.0.0.1:8080/x",
    "http://localhost/x",
    "http://169.254.169.254/latest/meta-data",
    "http://[::1]/x",
    "http://[fd00::1]/x",
    "http://internal.example.test/x",
    "http://mixed.example.test/x",
    "ftp://example.test/x",
  ]) {
    const res = await t.admin("POST", "/integrations", {
      kind: "webhook",
      name: "x",
      scope: "general",
      url,
    });
    expect(res.status).toBe(400);
    expect(res.body.details[0].path).toBe("/url");
  }
});

test("a destination whose DNS answer changed to a private address is refused at delivery", async () => {
  answers.set("hooks.example.test", ["93.184.216.34"]);
  const channel = await t.channel({ type: "sms", address: ADDRESSES.sms });
  const created = await t.admin("POST", "/integrations", {
    kind: "webhook",
    name: "rebinding",
    scope: "channel",
    channelId: channel.id,
    url: `http://hooks.example.test:${receiver.port}/hooks`,
    events: ["message.sent"],
  });
  expect(created.status).toBe(201);
  // DNS rebinding: the name now points at this machine, where a receiver listens.
  answers.set("hooks.example.test", ["127.0.0.1"]);
  const { token } = await t.token(channel.id);
  expect((await t.send(token, SEED.sms)).status).toBe(200);
  const list = await waitFor(async () => {
    const res = await t.admin("GET", `/deliveries?webhookId=${created.body.integration.id}`);
    return res.body.data[0]?.attempts > 0 ? res.body.data : undefined;
  });
  const delivery = (await t.admin("GET", `/deliveries/${list[0].id}`)).body;
  expect(delivery.attempts[0].statusCode).toBeNull();
  expect(delivery.attempts[0].error).toContain("non-public address");
  // The log names the URL's host, never the address it resolved to.
  expect(delivery.attempts[0].error).toContain("hooks.example.test");
  expect(delivery.attempts[0].error).not.toContain("127.0.0.1");
  expect(receiver.received).toEqual([]);
});
