/**
 * SMS and WhatsApp through the real `twilio` SDK against a local fake, end to end through
 * `POST /api/integration/generic`, and Twilio's callbacks through `/hooks/twilio/:id`, signed
 * with the SDK's own `getExpectedTwilioSignature` over the public URL.
 */

import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import {
  TWILIO_ERRORS,
  type TwilioErrorCode,
  TwilioFake,
  twilioError,
} from "../../support/fakes/twilio_fake.ts";
import {
  eventTypes,
  message,
  messageCount,
  newestMessage,
  PUBLIC_URL,
  postHook,
  startProviderServer,
} from "../../support/provider_server.ts";
import { SEED, type TestServer } from "../../support/test_server.ts";
import { transportFailureTests } from "./_transport_failures.ts";

const ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
const AUTH_TOKEN = "fedcba9876543210fedcba9876543210";
const SERVICE_SID = "MG00112233445566778899aabbccddeeff";
const SMS_ADDRESS = "+5511933334444";
const WA_ADDRESS = "+5511911112222";

let t: TestServer;
let fake: TwilioFake;
const sms = { id: "", token: "" };
const whatsapp = { id: "", token: "" };

beforeAll(async () => {
  fake = new TwilioFake(ACCOUNT_SID, AUTH_TOKEN);
  t = await startProviderServer();
  const config = { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, baseUrl: fake.url };
  sms.id = (await t.channel({ type: "sms", provider: "twilio", address: SMS_ADDRESS, config })).id;
  sms.token = (await t.token(sms.id)).token;
  // These tests are about Twilio's wire; the 24-hour window has its own tests.
  const waConfig = { ...config, enforceWindow: false };
  whatsapp.id = (
    await t.channel({ type: "whatsapp", provider: "twilio", address: WA_ADDRESS, config: waConfig })
  ).id;
  whatsapp.token = (await t.token(whatsapp.id)).token;
});
afterAll(async () => {
  await t.close();
  await fake.stop();
});
beforeEach(() => fake.reset());

describe("sending through Twilio", () => {
  test("an SMS maps to To, From, Body, MediaUrl and StatusCallback (the public callback URL)", async () => {
    const res = await t.send(sms.token, {
      to: "+5511999999999",
      body: "Your code: 123456",
      mediaUrls: ["https://cdn.shop.example/a.png", "https://cdn.shop.example/b.png"],
      metadata: { orderId: 42 },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "sent", provider: "twilio", segments: 1 });
    expect(res.body.providerMessageId).toMatch(/^SM[0-9]{32}$/);
    const request = fake.last();
    expect(request.path).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(request.headers.get("authorization")).toBe(
      `Basic ${btoa(`${ACCOUNT_SID}:${AUTH_TOKEN}`)}`,
    );
    expect(request.headers.get("content-type")).toContain("application/x-www-form-urlencoded");
    const form = fake.messages()[0]!;
    expect(Object.fromEntries(form)).toEqual({
      To: "+5511999999999",
      From: SMS_ADDRESS,
      Body: "Your code: 123456",
      MediaUrl: "https://cdn.shop.example/b.png",
      StatusCallback: `${PUBLIC_URL}/hooks/twilio/${sms.id}`,
    });
    expect(form.getAll("MediaUrl")).toEqual([
      "https://cdn.shop.example/a.png",
      "https://cdn.shop.example/b.png",
    ]);
  });

  test("a channel with a messaging service sends with MessagingServiceSid instead of From", async () => {
    const channel = await t.channel({
      type: "sms",
      provider: "twilio",
      address: SMS_ADDRESS,
      config: {
        accountSid: ACCOUNT_SID,
        authToken: AUTH_TOKEN,
        messagingServiceSid: SERVICE_SID,
        baseUrl: fake.url,
      },
    });
    const res = await t.send((await t.token(channel.id)).token, SEED.sms);
    expect(res.status).toBe(200);
    const form = fake.messages()[0]!;
    expect(form.get("MessagingServiceSid")).toBe(SERVICE_SID);
    expect(form.has("From")).toBe(false);
    expect(form.has("MediaUrl")).toBe(false);
  });

  test("a WhatsApp message goes with whatsapp:+E164 addresses and its files as MediaUrl", async () => {
    const res = await t.send(whatsapp.token, SEED.whatsapp);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ provider: "twilio", channel: { type: "whatsapp" } });
    const form = fake.messages()[0]!;
    expect(form.get("To")).toBe("whatsapp:+5511999999999");
    expect(form.get("From")).toBe(`whatsapp:${WA_ADDRESS}`);
    expect(form.get("Body")).toBe(SEED.whatsapp.message);
    expect(form.getAll("MediaUrl")).toEqual([...SEED.whatsapp.files]);
    expect(form.get("StatusCallback")).toBe(`${PUBLIC_URL}/hooks/twilio/${whatsapp.id}`);
  });
});

describe("Twilio's errors", () => {
  for (const code of [10001, 20005, 30002] as const) {
    test(`${code} "${TWILIO_ERRORS[code].message}" (out of funds) answers 402`, async () => {
      fake.answerNext(twilioError(code));
      const res = await t.send(sms.token, SEED.sms);
      expect(res.status).toBe(402);
      expect(res.body).toMatchObject({
        error: "PROVIDER_ERROR",
        provider: { name: "twilio", code: String(code), message: TWILIO_ERRORS[code].message },
      });
    });
  }

  // 20429 (rate limit) is retried: test/adapters/providers/throughput.test.ts.
  const rejections: TwilioErrorCode[] = [20003, 20500, 21211, 21606];
  for (const code of rejections) {
    test(`${code} "${TWILIO_ERRORS[code].message}" answers 502 with Twilio's code`, async () => {
      fake.answerNext(twilioError(code));
      const res = await t.send(sms.token, SEED.sms);
      expect(res.status).toBe(502);
      expect(res.body.provider).toEqual({
        name: "twilio",
        code: String(code),
        message: TWILIO_ERRORS[code].message,
      });
      expect(fake.requests).toHaveLength(1); // never retried
      const stored = await newestMessage(t, sms.id);
      expect(stored).toMatchObject({ status: "failed", error: { code: String(code) } });
      expect(eventTypes(t, stored.id)).toEqual(["message.failed"]);
    });
  }

  test("a wrong auth token is Twilio's 20003: 502", async () => {
    const channel = await t.channel({
      type: "sms",
      provider: "twilio",
      address: SMS_ADDRESS,
      config: { accountSid: ACCOUNT_SID, authToken: "0".repeat(32), baseUrl: fake.url },
    });
    const res = await t.send((await t.token(channel.id)).token, SEED.sms);
    expect(res.status).toBe(502);
    expect(res.body.provider.code).toBe("20003");
  });

  transportFailureTests({
    provider: "twilio",
    api: "a Twilio",
    server: () => t,
    fake: () => fake,
    token: () => sms.token,
    body: SEED.sms,
    unreachableChannel: () =>
      t.channel({
        type: "sms",
        provider: "twilio",
        address: SMS_ADDRESS,
        config: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, baseUrl: "http://127.0.0.1:1" },
      }),
    nonJson: { status: 503, text: "Service Unavailable", code: "http_503" },
  });
});

/** A Twilio callback, signed as Twilio signs it: over the public URL and the sorted params. */
function signed(
  channelId: string,
  params: Record<string, string>,
  options: { token?: string; url?: string } = {},
): { body: string; headers: Record<string, string> } {
  const url = options.url ?? `${PUBLIC_URL}/hooks/twilio/${channelId}`;
  return {
    body: new URLSearchParams(params).toString(),
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": getExpectedTwilioSignature(options.token ?? AUTH_TOKEN, url, params),
    },
  };
}

function statusParams(sid: string, status: string, extra: Record<string, string> = {}) {
  return {
    AccountSid: ACCOUNT_SID,
    ApiVersion: "2010-04-01",
    From: SMS_ADDRESS,
    MessageSid: sid,
    MessageStatus: status,
    SmsSid: sid,
    SmsStatus: status,
    To: "+5511999999999",
    ...extra,
  };
}

describe("Twilio's callbacks at /hooks/twilio/:channelId", () => {
  test("status callbacks move the message to delivered, once, and answer empty TwiML", async () => {
    const sent = await t.send(sms.token, SEED.sms);
    const sid = sent.body.providerMessageId;
    for (const status of ["sent", "delivered", "delivered"]) {
      const res = await postHook(
        t,
        `/hooks/twilio/${sms.id}`,
        signed(sms.id, statusParams(sid, status)),
      );
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/xml");
      expect(res.text).toContain("<Response/>");
    }
    const stored = await message(t, sent.body.id);
    // The repeated callback is the same report: it changes nothing at all.
    expect(stored.history.map((h: { status: string }) => h.status)).toEqual([
      "queued",
      "sent",
      "delivered",
    ]);
    expect(eventTypes(t, sent.body.id)).toEqual(["message.sent", "message.delivered"]);
  });

  test("a status callback that arrives before the send has answered still applies", async () => {
    const sid = "SM99999999999999999999999999999999";
    let callback: Promise<{ status: number }> | undefined;
    fake.onRequest = () => {
      callback = postHook(
        t,
        `/hooks/twilio/${sms.id}`,
        signed(sms.id, statusParams(sid, "delivered")),
      );
    };
    fake.answerNext({ status: 201, json: { sid, status: "queued" }, delayMs: 100 });
    const sent = await t.send(sms.token, SEED.sms);
    expect(sent.body.providerMessageId).toBe(sid);
    expect((await callback)?.status).toBe(200);
    expect((await message(t, sent.body.id)).status).toBe("delivered");
    expect(eventTypes(t, sent.body.id)).toEqual(["message.sent", "message.delivered"]);
  });

  test("WhatsApp read receipts become message.read", async () => {
    const sent = await t.send(whatsapp.token, SEED.whatsapp);
    const sid = sent.body.providerMessageId;
    for (const status of ["delivered", "read"]) {
      await postHook(
        t,
        `/hooks/twilio/${whatsapp.id}`,
        signed(whatsapp.id, statusParams(sid, status)),
      );
    }
    expect((await message(t, sent.body.id)).status).toBe("read");
    expect(eventTypes(t, sent.body.id)).toEqual([
      "message.sent",
      "message.delivered",
      "message.read",
    ]);
  });

  test("undelivered fails the message with Twilio's ErrorCode as reason", async () => {
    const sent = await t.send(sms.token, SEED.sms);
    const params = statusParams(sent.body.providerMessageId, "undelivered", { ErrorCode: "30003" });
    expect((await postHook(t, `/hooks/twilio/${sms.id}`, signed(sms.id, params))).status).toBe(200);
    const stored = await message(t, sent.body.id);
    expect(stored.status).toBe("failed");
    expect(stored.history.at(-1)).toMatchObject({ status: "failed", reason: "30003" });
    expect(eventTypes(t, sent.body.id)).toEqual(["message.sent", "message.failed"]);
  });

  test("an inbound SMS becomes a received message with its media, once", async () => {
    const params = {
      AccountSid: ACCOUNT_SID,
      ApiVersion: "2010-04-01",
      Body: "Is my order shipped?",
      From: "+5511988887777",
      MediaContentType0: "image/jpeg",
      MediaUrl0: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/MM1/Media/ME1`,
      MessageSid: "SM11111111111111111111111111111111",
      NumMedia: "1",
      NumSegments: "1",
      SmsMessageSid: "SM11111111111111111111111111111111",
      SmsSid: "SM11111111111111111111111111111111",
      SmsStatus: "received",
      To: SMS_ADDRESS,
    };
    const before = await messageCount(t, sms.id);
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await postHook(t, `/hooks/twilio/${sms.id}`, signed(sms.id, params));
      expect(res.status).toBe(200);
      expect(res.text).toContain("<Response/>");
    }
    expect(await messageCount(t, sms.id)).toBe(before + 1);
    const inbound = await newestMessage(t, sms.id);
    expect(inbound).toMatchObject({
      direction: "inbound",
      status: "received",
      provider: "twilio",
      providerMessageId: params.MessageSid,
      from: "+5511988887777",
      to: [SMS_ADDRESS],
      payload: { text: "Is my order shipped?", mediaUrls: [params.MediaUrl0] },
    });
    expect(eventTypes(t, inbound.id)).toEqual(["message.received"]);
  });

  test("an inbound WhatsApp message comes from the number without whatsapp:+", async () => {
    const params = {
      AccountSid: ACCOUNT_SID,
      Body: "Oi!",
      From: "whatsapp:+5511988887777",
      MessageSid: "SM22222222222222222222222222222222",
      NumMedia: "0",
      ProfileName: "Ana",
      SmsStatus: "received",
      To: `whatsapp:${WA_ADDRESS}`,
      WaId: "5511988887777",
    };
    const res = await postHook(t, `/hooks/twilio/${whatsapp.id}`, signed(whatsapp.id, params));
    expect(res.status).toBe(200);
    expect(await newestMessage(t, whatsapp.id)).toMatchObject({
      direction: "inbound",
      from: "5511988887777",
      payload: { text: "Oi!" },
    });
  });

  test("an unknown channel, or a channel of another provider, answers 401 like a forgery", async () => {
    const sandbox = await t.channel({ type: "sms", address: SMS_ADDRESS });
    for (const id of ["ch_doesnotexist", sandbox.id]) {
      const res = await postHook(
        t,
        `/hooks/twilio/${id}`,
        signed(id, statusParams("SM1", "delivered")),
      );
      expect(res.status).toBe(401);
    }
  });
});
