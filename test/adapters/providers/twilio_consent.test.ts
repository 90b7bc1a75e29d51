/**
 * Twilio as it behaves about consent and WhatsApp's window, through the real `twilio` SDK
 * against the fake: STOP and START replies (Twilio's own handling, its signed inbound webhook,
 * Advanced Opt-Out's `OptOutType`), 21610 for an opted-out number, WhatsApp Content templates
 * (`ContentSid`, `ContentVariables`), and 63016 for free text out of the 24-hour window. Every
 * callback is signed by the SDK's `getExpectedTwilioSignature` and checked by its
 * `validateRequest`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import twilio from "twilio";
import type { Clock } from "../../../core/ports/clock.ts";
import { TwilioFake } from "../../support/fakes/twilio_fake.ts";
import {
  eventTypes,
  message,
  newestMessage,
  PROVIDER_TIMEOUT_MS,
  PUBLIC_URL,
} from "../../support/provider_server.ts";
import { startTestServer, type TestServer, waitFor } from "../../support/test_server.ts";

const ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
const AUTH_TOKEN = "fedcba9876543210fedcba9876543210";
const SMS_ADDRESS = "+5511933334444";
const WA_ADDRESS = "+5511911112222";
const HOUR = 60 * 60 * 1000;
const TEMPLATE = {
  contentSid: "HXb5b62575e6e4ff6129ad7c8efe1f983e",
  variables: { "1": "Alex", "2": "A123" },
};

let t: TestServer;
let fake: TwilioFake;
/** The server's clock runs this far ahead of the real one (the window is 24 hours). */
let offset = 0;
const clock: Clock = { now: () => Date.now() + offset };
const sms = { id: "", token: "", url: "" };
const whatsapp = { id: "", token: "", url: "" };
const lenient = { id: "", token: "" };

beforeAll(async () => {
  fake = new TwilioFake(ACCOUNT_SID, AUTH_TOKEN);
  t = await startTestServer(
    {
      SENDEASY_PUBLIC_URL: PUBLIC_URL,
      SENDEASY_PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS),
      // The provider's fake listens on 127.0.0.1: its baseUrl must pass the address check.
      SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true",
    },
    { start: { clock } },
  );
  fake.callbacks.reach = (url) => url.replace(PUBLIC_URL, t.url);
  const config = { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, baseUrl: fake.url };
  const add = async (target: { id: string; token: string }, input: Record<string, unknown>) => {
    const channel = await t.channel({ provider: "twilio", ...input });
    target.id = channel.id;
    target.token = (await t.token(channel.id)).token;
    return channel.callbackUrl as string;
  };
  sms.url = await add(sms, { type: "sms", address: SMS_ADDRESS, config, credits: 100 });
  whatsapp.url = await add(whatsapp, { type: "whatsapp", address: WA_ADDRESS, config });
  // A number whose inbound traffic this server does not see: the window is Twilio's to enforce.
  await add(lenient, {
    type: "whatsapp",
    address: WA_ADDRESS,
    config: { ...config, enforceWindow: "false" },
  });
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

async function suppressions(channelType: string, address: string) {
  const query = `channelType=${channelType}&address=${encodeURIComponent(address)}`;
  return (await t.admin("GET", `/suppressions?${query}`)).body.data;
}

describe("SMS opt-outs", () => {
  test("a STOP reply suppresses the number: the next send is a 422 that never reaches Twilio; START lifts it", async () => {
    const contact = "+15551230001";
    expect(await fake.inbound({ url: sms.url, from: contact, to: SMS_ADDRESS, body: "stop" })).toBe(
      200,
    );
    const [listed] = await suppressions("sms", contact);
    expect(listed).toMatchObject({ channelType: "sms", address: contact, reason: "stop" });
    const inbound = await message(t, listed.messageId);
    expect(inbound).toMatchObject({
      direction: "inbound",
      from: contact,
      payload: { text: "stop" },
    });

    const credits = (await t.admin("GET", `/channels/${sms.id}`)).body.credits;
    const refused = await t.send(sms.token, { to: contact, body: "Your code: 123456" });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toBe("RECIPIENT_SUPPRESSED");
    expect(fake.messages()).toHaveLength(0);
    expect((await t.admin("GET", `/channels/${sms.id}`)).body.credits).toBe(credits);

    expect(
      await fake.inbound({ url: sms.url, from: contact, to: SMS_ADDRESS, body: "START" }),
    ).toBe(200);
    expect(await suppressions("sms", contact)).toEqual([]);
    expect((await t.send(sms.token, { to: contact, body: "Welcome back" })).status).toBe(200);
    expect(fake.messages()).toHaveLength(1);
  });

  test("Advanced Opt-Out's OptOutType=STOP suppresses; a repeated webhook changes nothing twice", async () => {
    const contact = "+15551230002";
    const reply = {
      url: sms.url,
      from: contact,
      to: SMS_ADDRESS,
      body: "CANCEL",
      advancedOptOut: true,
    };
    expect(await fake.inbound(reply)).toBe(200);
    expect(await suppressions("sms", contact)).toHaveLength(1);
    const events = t.db
      .query<{ n: number }, []>(
        "SELECT count(*) AS n FROM events WHERE type = 'recipient.suppressed'",
      )
      .get()!.n;
    // Twilio retries a webhook it got no answer to: the same MessageSid again.
    const params = fake.requests.length;
    expect(await fake.inbound(reply)).toBe(200);
    expect(fake.requests.length).toBe(params);
    expect(await suppressions("sms", contact)).toHaveLength(1);
    expect(
      t.db
        .query<{ n: number }, []>(
          "SELECT count(*) AS n FROM events WHERE type = 'recipient.suppressed'",
        )
        .get()!.n,
    ).toBe(events);
  });

  test("the fake's webhooks carry signatures the SDK's own validateRequest accepts", async () => {
    await fake.inbound({ url: sms.url, from: "+15551230009", to: SMS_ADDRESS, body: "hello" });
    const [posted] = fake.callbacks.posted;
    const params = Object.fromEntries(new URLSearchParams(posted!.body));
    const signature = posted!.headers["x-twilio-signature"]!;
    expect(posted!.url).toBe(`${PUBLIC_URL}/hooks/twilio/${sms.id}`);
    expect(twilio.validateRequest(AUTH_TOKEN, signature, posted!.url, params)).toBe(true);
    expect(twilio.validateRequest("0".repeat(32), signature, posted!.url, params)).toBe(false);
  });

  test("a text that only contains a keyword is a message, not an opt-out", async () => {
    const contact = "+15551230003";
    await fake.inbound({
      url: sms.url,
      from: contact,
      to: SMS_ADDRESS,
      body: "please stop calling",
    });
    expect(await suppressions("sms", contact)).toEqual([]);
  });

  test("21610 from Twilio (an opt-out this server never saw) is a 502, and the number is suppressed for next time", async () => {
    const contact = "+15551230004";
    fake.optedOut.add(contact);
    const res = await t.send(sms.token, { to: contact, body: "Your code: 123456" });
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({
      error: "PROVIDER_ERROR",
      provider: {
        name: "twilio",
        code: "21610",
        message: "Attempt to send to unsubscribed recipient",
      },
    });
    const failed = await newestMessage(t, sms.id);
    expect(failed).toMatchObject({ status: "failed", to: [contact], error: { code: "21610" } });
    const [listed] = await suppressions("sms", contact);
    expect(listed).toMatchObject({ reason: "stop", messageId: failed.id });
    expect((await t.send(sms.token, { to: contact, body: "again" })).status).toBe(422);
    expect(fake.messages()).toHaveLength(1);
  });

  test("21610 to an asynchronous send: failed, and the number is suppressed as for a synchronous one", async () => {
    const contact = "+15551230005";
    fake.optedOut.add(contact);
    const body = { to: contact, body: "Your code: 654321" };
    const res = await t.send(sms.token, body, { prefer: "respond-async" });
    expect(res.status).toBe(202);
    const failed = await waitFor(async () => {
      const message = await newestMessage(t, sms.id);
      return message?.status === "failed" ? message : undefined;
    }, 10_000);
    expect(failed).toMatchObject({ id: res.body.id, error: { code: "21610" } });
    const [listed] = await waitFor(async () => {
      const found = await suppressions("sms", contact);
      return found.length > 0 ? found : undefined;
    }, 5_000);
    expect(listed).toMatchObject({ reason: "stop", messageId: res.body.id });
  });
});

describe("WhatsApp templates and the 24-hour window", () => {
  const contact = "5511977770001";

  test("free text to a contact who never wrote is refused up front: 422 with lastInboundAt null", async () => {
    const res = await t.send(whatsapp.token, { number: contact, message: "Hi!" });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      error: "WHATSAPP_WINDOW_CLOSED",
      message: expect.any(String),
      details: [{ path: "/message", message: expect.stringContaining("template") }],
      lastInboundAt: null,
      requestId: expect.any(String),
    });
    expect(fake.messages()).toHaveLength(0);
  });

  test("a Content template always goes: ContentSid and ContentVariables (JSON text), no Body", async () => {
    const res = await t.send(whatsapp.token, { number: contact, template: TEMPLATE });
    expect(res.status).toBe(200);
    const form = fake.messages()[0]!;
    expect(form.get("To")).toBe(`whatsapp:+${contact}`);
    expect(form.get("ContentSid")).toBe(TEMPLATE.contentSid);
    expect(JSON.parse(form.get("ContentVariables") ?? "")).toEqual(TEMPLATE.variables);
    expect(form.has("Body")).toBe(false);
  });

  test("after the contact writes, free text goes for 24 hours, then is refused with the time of that message", async () => {
    const wrote = clock.now();
    const from = `whatsapp:+${contact}`;
    expect(
      await fake.inbound({ url: whatsapp.url, from, to: `whatsapp:${WA_ADDRESS}`, body: "Olá" }),
    ).toBe(200);
    expect(
      (await t.send(whatsapp.token, { number: contact, message: "Hi, how can we help?" })).status,
    ).toBe(200);
    offset = 24 * HOUR + 1000;
    const closed = await t.send(whatsapp.token, { number: contact, message: "Still there?" });
    expect(closed.status).toBe(422);
    expect(Date.parse(closed.body.lastInboundAt)).toBeGreaterThanOrEqual(wrote);
    expect(Date.parse(closed.body.lastInboundAt)).toBeLessThan(wrote + 5000);
  });

  test("a template of Meta's form is a 400 that names the channel's provider", async () => {
    const res = await t.send(whatsapp.token, {
      number: contact,
      template: { name: "order_update", language: "en_US" },
    });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([
      { path: "/template", message: expect.stringContaining("this channel's provider is twilio") },
    ]);
  });

  test("with enforceWindow false, free text out of the window goes to Twilio, which fails it later with 63016", async () => {
    const res = await t.send(lenient.token, { number: "5511977770002", message: "Hi!" });
    expect(res.status).toBe(200);
    expect(await fake.callbacks.settled()).toEqual([200]);
    const stored = await waitFor(async () => {
      const m = await message(t, res.body.id);
      return m.status === "failed" ? m : undefined;
    });
    expect(stored.history.at(-1)).toMatchObject({ status: "failed", reason: "63016" });
    expect(eventTypes(t, res.body.id)).toEqual(["message.sent", "message.failed"]);
  });
});
