/**
 * Meta's Cloud API as it behaves about templates, WhatsApp's window and consent, against the
 * fake: templates sent as `type: "template"`, template errors (132000, 132001, 132015) reported
 * with their codes, free text out of the window refused up front (or, where the channel does
 * not enforce it, failed later by Meta with 131047), 131050 suppressing the user, and webhooks
 * signed over the `\u`-escaped body as Meta signs them.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import type { Clock } from "../../../core/ports/clock.ts";
import { MetaFake, metaSignature } from "../../support/fakes/meta_fake.ts";
import {
  eventTypes,
  message,
  newestMessage,
  PROVIDER_TIMEOUT_MS,
  PUBLIC_URL,
  postHook,
} from "../../support/provider_server.ts";
import { startTestServer, type TestServer } from "../../support/test_server.ts";

const PHONE_NUMBER_ID = "106540352242922";
const ACCESS_TOKEN = "EAAGm0PX4ZCpsBAtestaccesstoken";
const APP_SECRET = "9f86d081884c7d659a2feaa0c55ad015";
const API_VERSION = "v23.0";
const ADDRESS = "+15550783881";
const HOUR = 60 * 60 * 1000;

const ORDER_UPDATE = {
  name: "order_update",
  language: "en_US",
  components: [
    {
      type: "header",
      parameters: [{ type: "image", image: { link: "https://cdn.shop.example/header.png" } }],
    },
    {
      type: "body",
      parameters: [
        { type: "text", text: "Alex" },
        {
          type: "currency",
          currency: { fallback_value: "$12.50", code: "USD", amount_1000: 12500 },
        },
      ],
    },
    { type: "button", sub_type: "url", index: "0", parameters: [{ type: "text", text: "A123" }] },
  ],
};

let t: TestServer;
let fake: MetaFake;
let offset = 0;
const clock: Clock = { now: () => Date.now() + offset };
const strict = { id: "", token: "", url: "" };
const lenient = { id: "", token: "" };

beforeAll(async () => {
  fake = new MetaFake(PHONE_NUMBER_ID, ACCESS_TOKEN, API_VERSION);
  t = await startTestServer(
    {
      SENDEASY_PUBLIC_URL: PUBLIC_URL,
      SENDEASY_PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS),
      // The provider's fake listens on 127.0.0.1: its baseUrl must pass the address check.
      SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true",
    },
    { start: { clock } },
  );
  const config = {
    phoneNumberId: PHONE_NUMBER_ID,
    accessToken: ACCESS_TOKEN,
    appSecret: APP_SECRET,
    verifyToken: "sendeasy-verify-7f3a",
    apiVersion: API_VERSION,
    baseUrl: fake.url,
  };
  const channel = await t.channel({ type: "whatsapp", provider: "meta", address: ADDRESS, config });
  strict.id = channel.id;
  strict.url = channel.callbackUrl;
  strict.token = (await t.token(channel.id)).token;
  const loose = await t.channel({
    type: "whatsapp",
    provider: "meta",
    address: ADDRESS,
    config: { ...config, enforceWindow: false },
  });
  lenient.id = loose.id;
  lenient.token = (await t.token(loose.id)).token;
  fake.webhook = { url: strict.url, appSecret: APP_SECRET };
  fake.callbacks.reach = (url) => url.replace(PUBLIC_URL, t.url);
  fake.templates.set("order_update", { language: "en_US", bodyParameters: 2, status: "APPROVED" });
  fake.templates.set("spring_sale", { language: "en_US", bodyParameters: 0, status: "PAUSED" });
});
afterAll(async () => {
  await t.close();
  await fake.stop();
});
beforeEach(() => {
  fake.reset();
  fake.callbacks.clear();
  offset = 0;
});

describe("templates", () => {
  test("a template goes as type template, its locale as language.code, its components as given", async () => {
    const res = await t.send(strict.token, { number: "5511966660001", template: ORDER_UPDATE });
    expect(res.status).toBe(200);
    expect(fake.sends()).toEqual([
      {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: "5511966660001",
        type: "template",
        template: {
          name: "order_update",
          language: { code: "en_US" },
          components: ORDER_UPDATE.components,
        },
      },
    ]);
  });

  const refusals = [
    ["132001", "an unknown template", { ...ORDER_UPDATE, name: "order_updat" }],
    [
      "132000",
      "a wrong parameter count",
      { ...ORDER_UPDATE, components: ORDER_UPDATE.components.slice(0, 1) },
    ],
    ["132015", "a paused template", { name: "spring_sale", language: "en_US" }],
  ] as const;
  for (const [code, what, template] of refusals) {
    test(`${what} is Meta's ${code}: a 502 with that code, the message failed with it`, async () => {
      const res = await t.send(strict.token, { number: "5511966660002", template });
      expect(res.status).toBe(502);
      expect(res.body.provider).toMatchObject({ name: "meta", code });
      const stored = await newestMessage(t, strict.id);
      expect(stored).toMatchObject({ status: "failed", error: { code } });
    });
  }

  test("a template error Meta reports later is kept with its code too", async () => {
    const res = await t.send(strict.token, { number: "5511966660003", template: ORDER_UPDATE });
    await fake.status(res.body.providerMessageId, "5511966660003", "failed", 132000);
    const stored = await message(t, res.body.id);
    expect(stored.history.at(-1)).toMatchObject({ status: "failed", reason: "132000" });
  });

  test("a template of Twilio's form is a 400 that names the channel's provider", async () => {
    const res = await t.send(strict.token, {
      number: "5511966660004",
      template: { contentSid: "HXb5b62575e6e4ff6129ad7c8efe1f983e" },
    });
    expect(res.status).toBe(400);
    expect(res.body.details[0].message).toContain("this channel's provider is meta");
    expect(fake.sends()).toEqual([]);
  });
});

describe("the 24-hour window", () => {
  test("free text waits for the contact: refused, then allowed once they write (an accented, signed webhook)", async () => {
    const contact = "5511966661001";
    const closed = await t.send(strict.token, { number: contact, message: "Hi!" });
    expect(closed.status).toBe(422);
    expect(closed.body).toMatchObject({ error: "WHATSAPP_WINDOW_CLOSED", lastInboundAt: null });
    expect(await fake.inbound(contact, "Olá! Quero falar com vendas 👋")).toBe(200);
    const inbound = await newestMessage(t, strict.id);
    expect(inbound).toMatchObject({
      direction: "inbound",
      payload: { text: "Olá! Quero falar com vendas 👋" },
    });
    expect((await t.send(strict.token, { number: contact, message: "Hi!" })).status).toBe(200);
  });

  test("the window runs from when the contact wrote (Meta's timestamp), not from when the webhook came", async () => {
    const contact = "5511966661002";
    expect(await fake.inbound(contact, "hello", { at: Date.now() - 23 * HOUR })).toBe(200);
    expect((await t.send(strict.token, { number: contact, message: "Hi!" })).status).toBe(200);
    offset = 2 * HOUR;
    const closed = await t.send(strict.token, { number: contact, message: "Still there?" });
    expect(closed.status).toBe(422);
    expect(Date.parse(closed.body.lastInboundAt)).toBeLessThan(Date.now() - 22 * HOUR);
  });

  test("a template needs no window", async () => {
    expect(
      (await t.send(strict.token, { number: "5511966661003", template: ORDER_UPDATE })).status,
    ).toBe(200);
  });

  test("with enforceWindow false, Meta accepts free text, then fails it with 131047 in a status webhook", async () => {
    // One Meta app posts to one URL: for this test, the lenient channel's.
    fake.webhook = { url: `${PUBLIC_URL}/hooks/meta/${lenient.id}`, appSecret: APP_SECRET };
    try {
      const res = await t.send(lenient.token, { number: "5511966661004", message: "Hi!" });
      expect(res.status).toBe(200);
      expect(await fake.callbacks.settled()).toEqual([200]);
      const stored = await message(t, res.body.id);
      expect(stored.history.at(-1)).toMatchObject({ status: "failed", reason: "131047" });
      expect(eventTypes(t, res.body.id)).toEqual(["message.sent", "message.failed"]);
    } finally {
      fake.webhook = { url: strict.url, appSecret: APP_SECRET };
    }
  });
});

describe("131050: the user stopped marketing messages", () => {
  test("the message fails with 131050 and the number is suppressed (unsubscribe): the next send is a 422", async () => {
    const contact = "5511966662001";
    fake.stoppedMarketing.add(contact);
    const res = await t.send(strict.token, { number: contact, template: ORDER_UPDATE });
    expect(res.status).toBe(200);
    expect(await fake.callbacks.settled()).toEqual([200]);
    const stored = await message(t, res.body.id);
    expect(stored.history.at(-1)).toMatchObject({ status: "failed", reason: "131050" });
    const listed = await t.admin("GET", `/suppressions?channelType=whatsapp&address=${contact}`);
    expect(listed.body.data).toEqual([
      expect.objectContaining({ address: contact, reason: "unsubscribe", messageId: res.body.id }),
    ]);
    const again = await t.send(strict.token, { number: contact, template: ORDER_UPDATE });
    expect(again.status).toBe(422);
    expect(again.body.error).toBe("RECIPIENT_SUPPRESSED");
  });
});

describe("signatures over the escaped body", () => {
  const body = JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "1",
        changes: [
          {
            field: "messages",
            value: {
              metadata: { phone_number_id: PHONE_NUMBER_ID },
              contacts: [{ profile: { name: "José 😀" } }],
            },
          },
        ],
      },
    ],
  });
  const post = (signature: string) =>
    postHook(t, `/hooks/meta/${strict.id}`, {
      body,
      headers: { "content-type": "application/json", "x-hub-signature-256": signature },
    });
  const hmac = (text: string) =>
    `sha256=${createHmac("sha256", APP_SECRET).update(text).digest("hex")}`;

  test("a body with accents and emoji is accepted signed over its escaped form, as Meta signs it", async () => {
    expect(metaSignature(APP_SECRET, body)).toBe(
      hmac(body.replace("é", "\\u00e9").replace("😀", "\\ud83d\\ude00")),
    );
    expect((await post(metaSignature(APP_SECRET, body))).status).toBe(200);
  });

  test("and signed over its raw bytes too; anything else is a 401", async () => {
    expect((await post(hmac(body))).status).toBe(200);
    expect((await post(hmac(body.replace("é", "\\u00c9")))).status).toBe(401);
    expect(
      (await post(hmac(body.replace("é", "\\u00E9").replace("😀", "\\uD83D\\uDE00")))).status,
    ).toBe(401);
  });
});
