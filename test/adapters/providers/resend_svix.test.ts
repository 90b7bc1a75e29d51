/**
 * Resend's events as Resend really delivers them: through Svix, signed by the `svix` library
 * under `svix-*` headers (and the `webhook-*` spelling of white-labelled Svix), driven by the
 * fake's test addresses (`delivered@`, `bounced@`, `complained@`, `suppressed@resend.dev`):
 * complaints and suppressions fail the message and suppress the address, a permanent bounce
 * suppresses it, a delivery delay is kept in history, and an inbound e-mail is matched to the
 * channel by any of its recipients.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { Webhook } from "svix";
import { ResendFake } from "../../support/fakes/resend_fake.ts";
import {
  eventTypes,
  message,
  messageCount,
  newestMessage,
  PUBLIC_URL,
  postHook,
  startProviderServer,
} from "../../support/provider_server.ts";
import type { TestServer } from "../../support/test_server.ts";

const API_KEY = "re_test_4f9c1d2e8a7b";
const SECRET = `whsec_${Buffer.from("resend-signing-secret-32-bytes!!").toString("base64")}`;
const ADDRESS = "orders@shop.example";

let t: TestServer;
let fake: ResendFake;
let channelId: string;
let token: string;

beforeAll(async () => {
  fake = new ResendFake(API_KEY);
  t = await startProviderServer();
  const channel = await t.channel({
    type: "email",
    provider: "resend",
    address: ADDRESS,
    config: { apiKey: API_KEY, webhookSecret: SECRET, baseUrl: fake.url },
  });
  channelId = channel.id;
  token = (await t.token(channelId)).token;
  fake.webhook = { url: channel.callbackUrl, secret: SECRET };
  fake.callbacks.reach = (url) => url.replace(PUBLIC_URL, t.url);
});
afterAll(async () => {
  await t.close();
  await fake.stop();
});
beforeEach(() => {
  fake.reset();
  fake.callbacks.clear();
});

const mail = (to: string) => ({ to, subject: "Order confirmation", html: "<p>Thanks!</p>" });

async function suppressionsOf(address: string) {
  const query = `channelType=email&address=${encodeURIComponent(address)}`;
  return (await t.admin("GET", `/suppressions?${query}`)).body.data;
}

describe("events signed by Svix", () => {
  test("svix-* headers are accepted: delivered@resend.dev is delivered", async () => {
    const sent = await t.send(token, mail("delivered@resend.dev"));
    expect(sent.status).toBe(200);
    expect(await fake.callbacks.settled()).toEqual([200, 200]);
    expect((await message(t, sent.body.id)).status).toBe("delivered");
    expect(eventTypes(t, sent.body.id)).toEqual(["message.sent", "message.delivered"]);
  });

  test("the svix library itself verifies what the fake sends, and the webhook-* spelling works too", async () => {
    const sent = await t.send(token, mail("someone@company.com"));
    const data = { email_id: sent.body.providerMessageId, to: ["someone@company.com"] };
    expect(await fake.emit("email.delivered", data, { spelling: "webhook" })).toBe(200);
    const [posted] = fake.callbacks.posted;
    expect(posted?.headers["webhook-signature"]).toMatch(/^v1,/);
    expect(posted?.headers["svix-signature"]).toBeUndefined();
    expect(() => new Webhook(SECRET).verify(posted!.body, posted!.headers)).not.toThrow();
    expect((await message(t, sent.body.id)).status).toBe("delivered");
  });

  test("an event signed with another secret, or too old, is a 401 and changes nothing", async () => {
    const sent = await t.send(token, mail("someone-else@company.com"));
    const body = JSON.stringify({
      type: "email.delivered",
      data: { email_id: sent.body.providerMessageId },
    });
    const at = (date: Date, secret: string) => ({
      "content-type": "application/json",
      "svix-id": "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W",
      "svix-timestamp": String(Math.floor(date.getTime() / 1000)),
      "svix-signature": new Webhook(secret).sign("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", date, body),
    });
    const other = `whsec_${Buffer.from("another-secret-of-32-bytes-long!").toString("base64")}`;
    for (const headers of [at(new Date(), other), at(new Date(Date.now() - 6 * 60_000), SECRET)]) {
      expect((await postHook(t, `/hooks/resend/${channelId}`, { body, headers })).status).toBe(401);
    }
    expect((await message(t, sent.body.id)).status).toBe("sent");
  });
});

describe("complaints, suppressions and bounces", () => {
  test("a complaint fails the delivered message (reason complained) and suppresses the address", async () => {
    const sent = await t.send(token, mail("complained@resend.dev"));
    expect(await fake.callbacks.settled()).toEqual([200, 200, 200]);
    const stored = await message(t, sent.body.id);
    expect(stored.status).toBe("failed");
    expect(stored.history.at(-1)).toMatchObject({ status: "failed", reason: "complained" });
    expect(eventTypes(t, sent.body.id)).toEqual([
      "message.sent",
      "message.delivered",
      "message.failed",
    ]);
    expect(await suppressionsOf("complained@resend.dev")).toEqual([
      expect.objectContaining({ reason: "complaint", messageId: sent.body.id }),
    ]);
    const again = await t.send(token, mail("complained@resend.dev"));
    expect(again.status).toBe(422);
    expect(fake.emails()).toHaveLength(1);
  });

  test("Resend's own suppression fails the message (reason suppressed) and suppresses the address as a bounce", async () => {
    const sent = await t.send(token, mail("suppressed@resend.dev"));
    expect(await fake.callbacks.settled()).toEqual([200]);
    const stored = await message(t, sent.body.id);
    expect(stored).toMatchObject({ status: "failed" });
    expect(stored.history.at(-1)).toMatchObject({ status: "failed", reason: "suppressed" });
    expect(await suppressionsOf("suppressed@resend.dev")).toEqual([
      expect.objectContaining({ reason: "bounce", messageId: sent.body.id }),
    ]);
  });

  test("a permanent bounce suppresses the address; a transient one does not", async () => {
    const sent = await t.send(token, mail("bounced+label@resend.dev"));
    expect(await fake.callbacks.settled()).toEqual([200, 200]);
    expect((await message(t, sent.body.id)).status).toBe("failed");
    expect(await suppressionsOf("bounced+label@resend.dev")).toEqual([
      expect.objectContaining({ reason: "bounce" }),
    ]);
    const soft = await t.send(token, mail("soft@company.com"));
    const bounce = { message: "Mailbox full", subType: "MailboxFull", type: "Transient" };
    const data = { email_id: soft.body.providerMessageId, to: ["soft@company.com"], bounce };
    expect(await fake.emit("email.bounced", data)).toBe(200);
    expect(await suppressionsOf("soft@company.com")).toEqual([]);
  });

  test("a complaint about an e-mail this channel did not send suppresses nothing (another tenant's)", async () => {
    const data = {
      email_id: "9a8b7c6d-0000-4000-8000-000000000001",
      to: ["elsewhere@company.com"],
    };
    expect(await fake.emit("email.complained", data)).toBe(200);
    expect(await suppressionsOf("elsewhere@company.com")).toEqual([]);
  });

  test("a delivery delay is kept in history once; the message stays sent and nothing is announced", async () => {
    const sent = await t.send(token, mail("slow@company.com"));
    const data = { email_id: sent.body.providerMessageId, to: ["slow@company.com"] };
    expect(await fake.emit("email.delivery_delayed", data)).toBe(200);
    expect(await fake.emit("email.delivery_delayed", data)).toBe(200);
    const stored = await message(t, sent.body.id);
    expect(stored.status).toBe("sent");
    expect(stored.history).toEqual([
      { status: "queued", at: expect.any(String) },
      { status: "sent", at: expect.any(String) },
      { status: "sent", at: expect.any(String), reason: "delivery_delayed" },
    ]);
    expect(eventTypes(t, sent.body.id)).toEqual(["message.sent"]);
    expect(await fake.emit("email.delivered", data)).toBe(200);
    expect((await message(t, sent.body.id)).status).toBe("delivered");
  });
});

describe("inbound e-mail", () => {
  const received = (fields: Record<string, string[]>, id: string) =>
    fake.emit("email.received", {
      email_id: id,
      created_at: new Date().toISOString(),
      from: "Ana <ana@customer.example>",
      to: [],
      cc: [],
      bcc: [],
      received_for: [],
      subject: "Question about my order",
      message_id: `<${id}@customer.example>`,
      attachments: [],
      ...fields,
    });

  test("the channel named only in cc, or only in received_for, gets the message", async () => {
    const before = await messageCount(t, channelId);
    expect(
      await received(
        { to: ["someone@else.example"], cc: ["Orders <ORDERS@shop.example>"] },
        "in-cc",
      ),
    ).toBe(200);
    expect(
      await received({ to: ["list@else.example"], received_for: [ADDRESS] }, "in-received-for"),
    ).toBe(200);
    expect(await messageCount(t, channelId)).toBe(before + 2);
    const newest = await newestMessage(t, channelId);
    expect(newest).toMatchObject({
      direction: "inbound",
      from: "ana@customer.example",
      payload: { subject: "Question about my order" },
    });
  });

  test("an e-mail that names the channel nowhere is acknowledged and ignored", async () => {
    const before = await messageCount(t, channelId);
    expect(
      await received({ to: ["someone@else.example"], cc: ["other@else.example"] }, "not-mine"),
    ).toBe(200);
    expect(await messageCount(t, channelId)).toBe(before);
  });
});
