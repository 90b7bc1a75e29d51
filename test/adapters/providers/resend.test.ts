/**
 * Resend e-mail through the real `resend` SDK against a local fake, end to end through
 * `POST /api/integration/generic`, and Resend's signed events through `/hooks/resend/:id`,
 * signed with the reference `standardwebhooks` library.
 */

import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { Webhook } from "standardwebhooks";
import {
  RESEND_ERRORS,
  type ResendErrorName,
  ResendFake,
  resendError,
} from "../../support/fakes/resend_fake.ts";
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
import { transportFailureTests } from "./_transport_failures.ts";

const API_KEY = "re_test_4f9c1d2e8a7b";
const SECRET = `whsec_${Buffer.from("resend-signing-secret-32-bytes!!").toString("base64")}`;
const ADDRESS = "orders@shop.example";

let t: TestServer;
let fake: ResendFake;
let channelId: string;
let token: string;
let integrationId: string;

beforeAll(async () => {
  fake = new ResendFake(API_KEY);
  t = await startProviderServer();
  const channel = await t.channel({
    type: "email",
    provider: "resend",
    address: ADDRESS,
    name: "Orders",
    config: { apiKey: API_KEY, webhookSecret: SECRET, baseUrl: fake.url },
  });
  channelId = channel.id;
  ({ token, id: integrationId } = await t.token(channelId));
});
afterAll(async () => {
  await t.close();
  await fake.stop();
});
beforeEach(() => fake.reset());

const order = { to: "customer@company.com", subject: "Order confirmation", html: "<p>Thanks!</p>" };

describe("sending through Resend", () => {
  test("every field maps to Resend's POST /emails, with the channel's address as sender", async () => {
    const res = await t.send(token, {
      to: ["customer@company.com", "second@company.com"],
      subject: "Order confirmation",
      html: "<p>Thanks for your purchase!</p>",
      text: "Thanks for your purchase!",
      bcc: ["archive@company.com"],
      fromName: "Shop Orders",
      inReplyTo: "<previous@mail.shop.example>",
      references: ["<first@mail.shop.example>", "<previous@mail.shop.example>"],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "sent", provider: "resend" });
    const request = fake.last();
    expect(request.headers.get("authorization")).toBe(`Bearer ${API_KEY}`);
    expect(fake.emails()).toEqual([
      {
        from: `Shop Orders <${ADDRESS}>`,
        to: ["customer@company.com", "second@company.com"],
        bcc: ["archive@company.com"],
        subject: "Order confirmation",
        html: "<p>Thanks for your purchase!</p>",
        text: "Thanks for your purchase!",
        headers: {
          "In-Reply-To": "<previous@mail.shop.example>",
          References: "<first@mail.shop.example> <previous@mail.shop.example>",
        },
      },
    ]);
    expect(res.body.providerMessageId).toMatch(/^4ef9a417-/);
    expect((await message(t, res.body.id)).providerMessageId).toBe(res.body.providerMessageId);
  });

  test("`body` goes as `html`; the bare address is the sender without fromName", async () => {
    const res = await t.send(token, {
      to: "customer@company.com",
      subject: "Hi",
      body: "<p>Hi</p>",
    });
    expect(res.status).toBe(200);
    expect(fake.emails()[0]).toEqual({
      from: ADDRESS,
      to: ["customer@company.com"],
      subject: "Hi",
      html: "<p>Hi</p>",
    });
    expect(fake.last().headers.get("idempotency-key")).toBeNull();
  });

  test("our Idempotency-Key goes to Resend, and a replay sends nothing again", async () => {
    const first = await t.send(token, order, { "idempotency-key": "order-42" });
    const again = await t.send(token, order, { "idempotency-key": "order-42" });
    expect(first.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body.id).toBe(first.body.id);
    expect(fake.requests).toHaveLength(1);
    expect(fake.last().headers.get("idempotency-key")).toBe(`${integrationId}:order-42`);
  });

  test("a key too long for Resend (over 256 characters) goes as its SHA-256", async () => {
    const key = "k".repeat(255);
    await t.send(token, order, { "idempotency-key": key });
    const digest = createHash("sha256").update(`${integrationId}:${key}`).digest("hex");
    expect(fake.last().headers.get("idempotency-key")).toBe(`sha256:${digest}`);
  });
});

describe("Resend's errors", () => {
  for (const name of ["daily_quota_exceeded", "monthly_quota_exceeded"] as const) {
    test(`${name} answers 402 PROVIDER_ERROR with Resend's code; nothing is sent`, async () => {
      fake.answerNext(resendError(name));
      const res = await t.send(token, order);
      expect(res.status).toBe(402);
      expect(res.body).toMatchObject({
        error: "PROVIDER_ERROR",
        provider: { name: "resend", code: name, message: RESEND_ERRORS[name].message },
      });
      const stored = await newestMessage(t, channelId);
      expect(stored).toMatchObject({ status: "failed", error: { code: name } });
    });
  }

  const rejections: ResendErrorName[] = [
    "validation_error",
    "invalid_from_address",
    "missing_required_field",
    // rate_limit_exceeded is retried: test/adapters/providers/throughput.test.ts.
    "invalid_idempotent_request",
    "application_error",
    "internal_server_error",
  ];
  for (const name of rejections) {
    test(`${name} (HTTP ${RESEND_ERRORS[name].status}) answers 502 with Resend's code`, async () => {
      fake.answerNext(resendError(name));
      const res = await t.send(token, order);
      expect(res.status).toBe(502);
      expect(res.body.provider).toEqual({
        name: "resend",
        code: name,
        message: RESEND_ERRORS[name].message,
      });
      expect(fake.requests).toHaveLength(1); // never retried
      expect((await newestMessage(t, channelId)).status).toBe("failed");
      expect(eventTypes(t, (await newestMessage(t, channelId)).id)).toEqual(["message.failed"]);
    });
  }

  test("a wrong API key is Resend's invalid_api_key: 502", async () => {
    const other = await t.channel({
      type: "email",
      provider: "resend",
      address: ADDRESS,
      config: { apiKey: "re_wrong_key", baseUrl: fake.url },
    });
    const res = await t.send((await t.token(other.id)).token, order);
    expect(res.status).toBe(502);
    expect(res.body.provider.code).toBe("invalid_api_key");
  });

  transportFailureTests({
    provider: "resend",
    api: "a Resend",
    server: () => t,
    fake: () => fake,
    token: () => token,
    body: order,
    unreachableChannel: () =>
      t.channel({
        type: "email",
        provider: "resend",
        address: ADDRESS,
        config: { apiKey: API_KEY, baseUrl: "http://127.0.0.1:1" },
      }),
    nonJson: { status: 502, text: "<html>Bad Gateway</html>", code: "application_error" },
    unreachableCode: "application_error",
  });
});

/** A Resend event, signed the way Resend signs it (the reference Standard Webhooks library). */
function signed(
  event: unknown,
  options: { secret?: string; at?: Date; id?: string } = {},
): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify(event);
  const id = options.id ?? `msg_${crypto.randomUUID()}`;
  const at = options.at ?? new Date();
  return {
    body,
    headers: {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": new Webhook(options.secret ?? SECRET).sign(id, at, body),
    },
  };
}

function emailEvent(type: string, emailId: string, extra: Record<string, unknown> = {}) {
  return {
    type,
    created_at: new Date().toISOString(),
    data: {
      email_id: emailId,
      from: ADDRESS,
      to: ["customer@company.com"],
      subject: "Order confirmation",
      created_at: new Date().toISOString(),
      ...extra,
    },
  };
}

describe("Resend's events at /hooks/resend/:channelId", () => {
  const hook = () => `/hooks/resend/${channelId}`;

  test("delivered then opened: the message is delivered, then read, with one event each", async () => {
    const sent = await t.send(token, order);
    const emailId = sent.body.providerMessageId;
    expect((await postHook(t, hook(), signed(emailEvent("email.delivered", emailId)))).status).toBe(
      200,
    );
    const opened = signed(emailEvent("email.opened", emailId));
    expect((await postHook(t, hook(), opened)).status).toBe(200);
    // The same event again (Resend retries) changes nothing at all; an out-of-order
    // "delivered" (another event) is kept in the history, not applied.
    expect((await postHook(t, hook(), opened)).status).toBe(200);
    await postHook(t, hook(), signed(emailEvent("email.delivered", emailId)));
    const stored = await message(t, sent.body.id);
    expect(stored.status).toBe("read");
    expect(
      stored.history.map((h: { status: string; applied?: false }) =>
        h.applied === false ? `${h.status} (not applied)` : h.status,
      ),
    ).toEqual(["queued", "sent", "delivered", "read", "delivered (not applied)"]);
    expect(eventTypes(t, sent.body.id)).toEqual([
      "message.sent",
      "message.delivered",
      "message.read",
    ]);
  });

  test("a bounce fails the message with the bounce type as reason", async () => {
    // Its own recipient: a permanent bounce suppresses the address for the sends that follow.
    const sent = await t.send(token, { ...order, to: "bounced@company.com" });
    const event = emailEvent("email.bounced", sent.body.providerMessageId, {
      to: ["bounced@company.com"],
      bounce: { message: "Mailbox does not exist", subType: "General", type: "Permanent" },
    });
    expect((await postHook(t, hook(), signed(event))).status).toBe(200);
    const stored = await message(t, sent.body.id);
    expect(stored.status).toBe("failed");
    expect(stored.history.at(-1)).toMatchObject({ status: "failed", reason: "bounced: Permanent" });
    expect(eventTypes(t, sent.body.id)).toEqual(["message.sent", "message.failed"]);
  });

  test("a channel without a webhookSecret refuses every event with 401", async () => {
    const bare = await t.channel({
      type: "email",
      provider: "resend",
      address: ADDRESS,
      config: { apiKey: API_KEY, baseUrl: fake.url },
    });
    const res = await postHook(
      t,
      `/hooks/resend/${bare.id}`,
      signed(emailEvent("email.delivered", "x")),
    );
    expect(res.status).toBe(401);
  });

  test("an unknown channel, or a channel of another provider, answers 401 like a forgery", async () => {
    const sandbox = await t.channel({ type: "email", address: ADDRESS });
    for (const id of ["ch_doesnotexist", sandbox.id]) {
      const res = await postHook(
        t,
        `/hooks/resend/${id}`,
        signed(emailEvent("email.delivered", "x")),
      );
      expect(res.status).toBe(401);
      expect(JSON.parse(res.text).error).toBe("ERR_NO_PERMISSION");
    }
  });

  test("an event about an e-mail we do not know is acknowledged and ignored", async () => {
    const before = await messageCount(t, channelId);
    const res = await postHook(t, hook(), signed(emailEvent("email.delivered", "not-ours")));
    expect(res.status).toBe(200);
    expect(await messageCount(t, channelId)).toBe(before);
  });

  test("email.received to the channel's address becomes an inbound message and message.received", async () => {
    const event = {
      type: "email.received",
      created_at: new Date().toISOString(),
      data: {
        email_id: "56761188-7520-42d8-8898-ff6fc54ce618",
        created_at: new Date().toISOString(),
        from: "Ana Lima <ana@customer.example>",
        to: [`Orders <${ADDRESS}>`],
        subject: "Where is my order?",
        message_id: "<inbound-1@customer.example>",
        attachments: [],
      },
    };
    const before = await messageCount(t, channelId);
    expect((await postHook(t, hook(), signed(event))).status).toBe(200);
    expect((await postHook(t, hook(), signed(event))).status).toBe(200); // retried: stored once
    expect(await messageCount(t, channelId)).toBe(before + 1);
    const inbound = await newestMessage(t, channelId);
    expect(inbound).toMatchObject({
      direction: "inbound",
      status: "received",
      from: "ana@customer.example",
      to: [ADDRESS],
      providerMessageId: "56761188-7520-42d8-8898-ff6fc54ce618",
      payload: { subject: "Where is my order?" },
    });
    expect(eventTypes(t, inbound.id)).toEqual(["message.received"]);

    const elsewhere = {
      ...event,
      data: { ...event.data, email_id: "other", to: ["x@other.example"] },
    };
    await postHook(t, hook(), signed(elsewhere));
    expect(await messageCount(t, channelId)).toBe(before + 1);
  });

  test("the callback URL the admin API shows is the public URL of this route", async () => {
    const res = await t.admin("GET", `/channels/${channelId}`);
    expect(res.body.callbackUrl).toBe(`${PUBLIC_URL}/hooks/resend/${channelId}`);
  });
});
