/**
 * The union rule end to end (docs/api.md#webhooks): real receivers get exactly the events the rule says,
 * a shared destination once, another company's receiver nothing, all verified with the
 * reference `standardwebhooks` library and the bearer token.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Webhook } from "standardwebhooks";
import { type Receiver, startReceiver } from "../../support/receiver.ts";
import {
  ADDRESSES,
  SEED,
  startTestServer,
  type TestServer,
  waitFor,
} from "../../support/test_server.ts";

let t: TestServer;
const receivers: Record<string, Receiver> = {};

beforeAll(async () => {
  t = await startTestServer({ SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true" });
  for (const name of [
    "general1",
    "general2",
    "smsOnly",
    "emailDelivered",
    "shared",
    "otherCompany",
  ]) {
    receivers[name] = startReceiver({ bearer: `bearer-${name}` });
  }
});
afterAll(async () => {
  await t.close();
  for (const r of Object.values(receivers)) r.close();
});

async function webhook(
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<string> {
  const res = await t.admin(
    "POST",
    "/integrations",
    { kind: "webhook", name: "hook", ...body },
    headers,
  );
  expect(res.status).toBe(201);
  expect(res.body.signingSecret).toMatch(/^whsec_/);
  return res.body.signingSecret;
}

test("each receiver gets exactly the events the union rule names, the shared destination once", async () => {
  const sms = await t.channel({ type: "sms", address: ADDRESSES.sms });
  const email = await t.channel({ type: "email", address: ADDRESSES.email });
  const r = receivers;
  const hook = (name: string) => ({ url: r[name]!.url, bearerToken: `bearer-${name}` });

  r.general1!.secrets = [await webhook({ scope: "general", ...hook("general1") })];
  r.general2!.secrets = [await webhook({ scope: "general", ...hook("general2") })];
  r.smsOnly!.secrets = [await webhook({ scope: "channel", channelId: sms.id, ...hook("smsOnly") })];
  r.emailDelivered!.secrets = [
    await webhook({
      scope: "channel",
      channelId: email.id,
      events: ["message.delivered"],
      ...hook("emailDelivered"),
    }),
  ];
  // Two webhooks name the same destination: a general one and one for the SMS channel.
  const sharedGeneral = await webhook({ scope: "general", ...hook("shared") });
  const sharedSms = await webhook({ scope: "channel", channelId: sms.id, ...hook("shared") });
  // Another company, with a general webhook of its own.
  const other = await t.admin("POST", "/companies", { name: "Other" });
  r.otherCompany!.secrets = [
    await webhook(
      { scope: "general", ...hook("otherCompany") },
      { authorization: `Bearer ${other.body.adminKey}` },
    ),
  ];

  const smsToken = await t.token(sms.id);
  const emailToken = await t.token(email.id);
  const smsSent = await t.send(smsToken.token, SEED.sms);
  const emailSent = await t.send(emailToken.token, SEED.email);
  expect([smsSent.status, emailSent.status]).toEqual([200, 200]);

  // Each send gives message.sent, then message.delivered from the sandbox: 4 events in all.
  await waitFor(
    () =>
      r.general1!.received.length >= 4 &&
      r.general2!.received.length >= 4 &&
      r.shared!.received.length >= 4
        ? true
        : undefined,
    5000,
  );
  await Bun.sleep(300); // anything extra would have arrived by now

  const kinds = (name: string) =>
    r[name]!.received.map((d) => `${d.body.channel.type}:${d.type}`).sort();
  const all = [
    "email:message.delivered",
    "email:message.sent",
    "sms:message.delivered",
    "sms:message.sent",
  ];
  expect(kinds("general1")).toEqual(all);
  expect(kinds("general2")).toEqual(all);
  expect(kinds("smsOnly")).toEqual(["sms:message.delivered", "sms:message.sent"]);
  expect(kinds("emailDelivered")).toEqual(["email:message.delivered"]);
  expect(kinds("shared")).toEqual(all);
  expect(r.otherCompany!.received).toEqual([]);

  // Every delivery verifies with the reference library and carries the bearer token.
  for (const name of ["general1", "general2", "smsOnly", "emailDelivered"]) {
    for (const d of r[name]!.received) {
      expect(d.verified).toBe(true);
      expect(d.bearerOk).toBe(true);
      expect(d.headers["content-type"]).toBe("application/json");
      expect(d.id).toBe(d.body.id);
    }
  }
  // The shared destination: SMS events are signed by the channel-specific webhook's secret,
  // email events by the general one's.
  for (const d of r.shared!.received) {
    const signer = d.body.channel.type === "sms" ? sharedSms : sharedGeneral;
    const other = d.body.channel.type === "sms" ? sharedGeneral : sharedSms;
    expect(() => new Webhook(signer).verify(d.raw, d.headers)).not.toThrow();
    expect(() => new Webhook(other).verify(d.raw, d.headers)).toThrow();
  }
  // Event ids are unique per event, and the envelope names the message.
  const ids = r.general1!.received.map((d) => d.id);
  expect(new Set(ids).size).toBe(4);
  expect(
    r.general1!.received.find((d) => d.type === "message.sent" && d.body.channel.type === "sms")
      ?.body.data.message.id,
  ).toBe(smsSent.body.id);
});
