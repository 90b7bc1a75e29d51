/**
 * WhatsApp through Meta's Cloud API (over fetch) against a local fake, end to end through
 * `POST /api/integration/generic`, and Meta's webhooks through `/hooks/meta/:id`: the verify
 * handshake and posts signed with node's HMAC-SHA256, as Meta signs them.
 */

import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import {
  META_ERRORS,
  type MetaErrorCode,
  MetaFake,
  metaError,
} from "../../support/fakes/meta_fake.ts";
import {
  eventTypes,
  message,
  messageCount,
  newestMessage,
  postHook,
  startProviderServer,
} from "../../support/provider_server.ts";
import { SEED, type TestServer } from "../../support/test_server.ts";
import { transportFailureTests } from "./_transport_failures.ts";

const PHONE_NUMBER_ID = "106540352242922";
const ACCESS_TOKEN = "EAAGm0PX4ZCpsBAtestaccesstoken";
const APP_SECRET = "9f86d081884c7d659a2feaa0c55ad015";
const VERIFY_TOKEN = "sendeasy-verify-7f3a";
const API_VERSION = "v21.0";
const ADDRESS = "+15550783881";

let t: TestServer;
let fake: MetaFake;
let channelId: string;
let token: string;

beforeAll(async () => {
  fake = new MetaFake(PHONE_NUMBER_ID, ACCESS_TOKEN, API_VERSION);
  t = await startProviderServer();
  const channel = await t.channel({
    type: "whatsapp",
    provider: "meta",
    address: ADDRESS,
    name: "WhatsApp sales",
    config: {
      phoneNumberId: PHONE_NUMBER_ID,
      accessToken: ACCESS_TOKEN,
      appSecret: APP_SECRET,
      verifyToken: VERIFY_TOKEN,
      apiVersion: API_VERSION,
      baseUrl: fake.url,
      // These tests are about the Cloud API's wire; the window has its own tests.
      enforceWindow: false,
    },
  });
  channelId = channel.id;
  token = (await t.token(channelId)).token;
});
afterAll(async () => {
  await t.close();
  await fake.stop();
});
beforeEach(() => fake.reset());

const hello = { number: "5511999999999", message: "Hello from the shop" };

describe("sending through the Cloud API", () => {
  test("the text goes first, then one media message per file, typed by extension", async () => {
    const res = await t.send(token, {
      ...SEED.whatsapp,
      files: ["https://landing.com/deck.pdf", "https://cdn.shop.example/photo.JPG"],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "sent", provider: "meta" });
    for (const request of fake.requests) {
      expect(request.path).toBe(`/${API_VERSION}/${PHONE_NUMBER_ID}/messages`);
      expect(request.headers.get("authorization")).toBe(`Bearer ${ACCESS_TOKEN}`);
      expect(request.headers.get("content-type")).toBe("application/json");
    }
    const envelope = {
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "5511999999999",
    };
    expect(fake.sends()).toEqual([
      { ...envelope, type: "text", text: { body: SEED.whatsapp.message, preview_url: false } },
      {
        ...envelope,
        type: "document",
        document: { link: "https://landing.com/deck.pdf", filename: "deck.pdf" },
      },
      { ...envelope, type: "image", image: { link: "https://cdn.shop.example/photo.JPG" } },
    ]);
    // The text's id is the message's: its statuses are the ones that move our message.
    expect(res.body.providerMessageId).toBe("wamid.HBgN00000001");
  });

  test("a file the Cloud API refuses after the text answers 502 and says the text went", async () => {
    fake.answerNext(
      { status: 200, json: { messaging_product: "whatsapp", messages: [{ id: "wamid.TEXT" }] } },
      metaError(100),
    );
    const res = await t.send(token, { ...hello, files: ["https://cdn.shop.example/a.pdf"] });
    expect(res.status).toBe(502);
    expect(res.body.provider.code).toBe("100");
    expect(res.body.provider.message).toContain("wamid.TEXT");
    expect(fake.requests).toHaveLength(2);
  });
});

describe("the Cloud API's errors", () => {
  test('131042 "Business eligibility payment issue" answers 402; no file is sent after it', async () => {
    fake.answerNext(metaError(131042));
    const res = await t.send(token, { ...hello, files: ["https://cdn.shop.example/a.pdf"] });
    expect(res.status).toBe(402);
    expect(res.body).toMatchObject({
      error: "PROVIDER_ERROR",
      provider: { name: "meta", code: "131042", message: META_ERRORS[131042].details },
    });
    expect(fake.requests).toHaveLength(1);
    expect(await newestMessage(t, channelId)).toMatchObject({
      status: "failed",
      error: { code: "131042" },
    });
  });

  // 130429 (rate limit) is retried: test/adapters/providers/throughput.test.ts.
  const rejections: MetaErrorCode[] = [100, 131000, 131026];
  for (const code of rejections) {
    test(`${code} "${META_ERRORS[code].title}" answers 502 with Meta's code`, async () => {
      fake.answerNext(metaError(code));
      const res = await t.send(token, hello);
      expect(res.status).toBe(502);
      expect(res.body.provider).toEqual({
        name: "meta",
        code: String(code),
        message: META_ERRORS[code].details,
      });
      expect(fake.requests).toHaveLength(1);
      expect(eventTypes(t, (await newestMessage(t, channelId)).id)).toEqual(["message.failed"]);
    });
  }

  test("a wrong access token is Meta's 190: 502 with its message", async () => {
    const channel = await t.channel({
      type: "whatsapp",
      provider: "meta",
      address: ADDRESS,
      config: {
        phoneNumberId: PHONE_NUMBER_ID,
        accessToken: "wrong",
        apiVersion: API_VERSION,
        baseUrl: fake.url,
        enforceWindow: false,
      },
    });
    const res = await t.send((await t.token(channel.id)).token, hello);
    expect(res.status).toBe(502);
    expect(res.body.provider).toEqual({
      name: "meta",
      code: "190",
      message: "(#190) Invalid OAuth access token",
    });
  });

  transportFailureTests({
    provider: "meta",
    api: "a Cloud API",
    server: () => t,
    fake: () => fake,
    token: () => token,
    body: hello,
    unreachableChannel: () =>
      t.channel({
        type: "whatsapp",
        provider: "meta",
        address: ADDRESS,
        config: {
          phoneNumberId: PHONE_NUMBER_ID,
          accessToken: ACCESS_TOKEN,
          baseUrl: "http://127.0.0.1:1",
          enforceWindow: false,
        },
      }),
    nonJson: { status: 502, text: "<html>Bad Gateway</html>", code: "http_502" },
  });
});

describe("Meta's verification handshake", () => {
  const verify = (query: Record<string, string>) =>
    fetch(`${t.url}/hooks/meta/${channelId}?${new URLSearchParams(query)}`);

  test("answers the challenge when the verify token matches", async () => {
    const res = await verify({
      "hub.mode": "subscribe",
      "hub.verify_token": VERIFY_TOKEN,
      "hub.challenge": "1158201444",
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("1158201444");
  });

  test("answers 403 to a wrong token or mode, and to an unknown channel", async () => {
    const wrong = await verify({
      "hub.mode": "subscribe",
      "hub.verify_token": "guess",
      "hub.challenge": "1",
    });
    expect(wrong.status).toBe(403);
    expect(JSON.parse(await wrong.text())).toMatchObject({ error: "ERR_NO_PERMISSION" });
    const mode = await verify({
      "hub.mode": "unsubscribe",
      "hub.verify_token": VERIFY_TOKEN,
      "hub.challenge": "1",
    });
    expect(mode.status).toBe(403);
    const unknown = await fetch(`${t.url}/hooks/meta/ch_doesnotexist?hub.mode=subscribe`);
    expect(unknown.status).toBe(403);
  });
});

/** A webhook post, signed as Meta signs it: `sha256=` HMAC-SHA256 of the raw body. */
function signed(
  event: unknown,
  secret = APP_SECRET,
): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify(event);
  const signature = createHmac("sha256", secret).update(body).digest("hex");
  return {
    body,
    headers: { "content-type": "application/json", "x-hub-signature-256": `sha256=${signature}` },
  };
}

function change(value: Record<string, unknown>, phoneNumberId = PHONE_NUMBER_ID) {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550783881", phone_number_id: phoneNumberId },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

function statuses(id: string, ...items: Array<{ status: string; errors?: unknown[] }>) {
  return change({
    statuses: items.map((item, index) => ({
      id,
      recipient_id: "5511999999999",
      timestamp: String(1_750_263_773 + index),
      ...item,
    })),
  });
}

/** A history entry as `status`, or `status (not applied)` for a report kept without effect. */
function shownStatus(entry: { status: string; applied?: false }): string {
  return entry.applied === false ? `${entry.status} (not applied)` : entry.status;
}

describe("Meta's webhook posts at /hooks/meta/:channelId", () => {
  const hook = () => `/hooks/meta/${channelId}`;

  test("statuses move the message to delivered then read, once each, even out of order", async () => {
    const sent = await t.send(token, hello);
    const id = sent.body.providerMessageId;
    const event = statuses(id, { status: "sent" }, { status: "delivered" }, { status: "read" });
    expect((await postHook(t, hook(), signed(event))).status).toBe(200);
    expect((await postHook(t, hook(), signed(event))).status).toBe(200);
    await postHook(t, hook(), signed(statuses(id, { status: "delivered" })));
    const stored = await message(t, sent.body.id);
    // The same post again changes nothing; a later, separate "delivered" is kept, not applied.
    expect(stored.history.map(shownStatus)).toEqual([
      "queued",
      "sent",
      "delivered",
      "read",
      "delivered (not applied)",
    ]);
    expect(eventTypes(t, sent.body.id)).toEqual([
      "message.sent",
      "message.delivered",
      "message.read",
    ]);
  });

  test("a failed status fails the message with Meta's error code as reason", async () => {
    const sent = await t.send(token, hello);
    const event = statuses(sent.body.providerMessageId, {
      status: "failed",
      errors: [{ code: 131026, title: "Message undeliverable" }],
    });
    expect((await postHook(t, hook(), signed(event))).status).toBe(200);
    const stored = await message(t, sent.body.id);
    expect(stored.history.at(-1)).toMatchObject({ status: "failed", reason: "131026" });
    expect(eventTypes(t, sent.body.id)).toEqual(["message.sent", "message.failed"]);
  });

  test("an inbound text becomes a received message and message.received, once", async () => {
    const event = change({
      contacts: [{ profile: { name: "Ana" }, wa_id: "5511988887777" }],
      messages: [
        {
          from: "5511988887777",
          id: "wamid.HBgNNTUxMTk4ODg4Nzc3NxUCABIYFjNFQjBDMEE",
          timestamp: "1750263773",
          type: "text",
          text: { body: "Quero falar com vendas" },
        },
      ],
    });
    const before = await messageCount(t, channelId);
    expect((await postHook(t, hook(), signed(event))).status).toBe(200);
    expect((await postHook(t, hook(), signed(event))).status).toBe(200);
    expect(await messageCount(t, channelId)).toBe(before + 1);
    const inbound = await newestMessage(t, channelId);
    expect(inbound).toMatchObject({
      direction: "inbound",
      status: "received",
      provider: "meta",
      from: "5511988887777",
      to: [ADDRESS],
      payload: { text: "Quero falar com vendas" },
    });
    expect(eventTypes(t, inbound.id)).toEqual(["message.received"]);
  });

  test("changes for another phone number of the same Meta app are left alone", async () => {
    const before = await messageCount(t, channelId);
    const event = change(
      {
        messages: [{ from: "5511900000000", id: "wamid.OTHER", type: "text", text: { body: "x" } }],
      },
      "999999999999999",
    );
    expect((await postHook(t, hook(), signed(event))).status).toBe(200);
    expect(await messageCount(t, channelId)).toBe(before);
  });

  test("a channel without an appSecret refuses posts with 401", async () => {
    const channel = await t.channel({
      type: "whatsapp",
      provider: "meta",
      address: ADDRESS,
      config: { phoneNumberId: PHONE_NUMBER_ID, accessToken: ACCESS_TOKEN },
    });
    const res = await postHook(t, `/hooks/meta/${channel.id}`, signed(change({})));
    expect(res.status).toBe(401);
  });
});
