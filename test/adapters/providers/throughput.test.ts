/**
 * Provider throughput (README "Throughput, retries, async and scheduled sends"): each channel
 * sends at its `maxPerSecond`, a send waits up to `SENDEASY_SEND_QUEUE_MS` for its turn, and a
 * provider's own 429 (Resend `rate_limit_exceeded`, Twilio 20429, Meta 130429) is asked again
 * after its `Retry-After` with the same request. Real SDKs against the providers' fakes.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import type { FakeAnswer, RecordedRequest } from "../../support/fakes/fake_server.ts";
import { MetaFake, metaError } from "../../support/fakes/meta_fake.ts";
import { ResendFake, resendError } from "../../support/fakes/resend_fake.ts";
import { TwilioFake, twilioError } from "../../support/fakes/twilio_fake.ts";
import { newestMessage, startProviderServer } from "../../support/provider_server.ts";
import { SEED, startTestServer, type TestServer } from "../../support/test_server.ts";

const API_KEY = "re_test_throughput";
const order = { to: "customer@company.com", subject: "Order confirmation", html: "<p>Thanks</p>" };
/** Resend's 429 for a team over 2 requests per second, with its `retry-after` header. */
const resendLimit = withHeaders(resendError("rate_limit_exceeded"), { "retry-after": "1" });

let t: TestServer;
let resend: ResendFake;
let twilio: TwilioFake;
let meta: MetaFake;

beforeAll(async () => {
  [resend, twilio, meta] = [
    new ResendFake(API_KEY),
    new TwilioFake("AC00000000000000000000000000000001", "twilio-auth-token"),
    new MetaFake("106540352242922", "EAAG-throughput", "v23.0"),
  ];
  t = await startProviderServer();
});
afterAll(async () => {
  await t.close();
  await Promise.all([resend.stop(), twilio.stop(), meta.stop()]);
});
beforeEach(() => {
  for (const fake of [resend, twilio, meta]) fake.reset();
});

async function resendToken(config: Record<string, unknown> = {}): Promise<string> {
  const channel = await t.channel({
    type: "email",
    provider: "resend",
    address: "orders@shop.example",
    config: { apiKey: API_KEY, baseUrl: resend.url, ...config },
  });
  return (await t.token(channel.id)).token;
}

const accepted = (requests: RecordedRequest[]) => requests.filter((r) => r.status === 200);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;

describe("a channel's send rate", () => {
  test("a burst through Resend goes out at 2 per second by the fake's clock, and nobody gets a 502", async () => {
    const token = await resendToken();
    resend.limitRate(2, resendLimit);
    const answers = await Promise.all(Array.from({ length: 6 }, () => t.send(token, order)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(6).fill(200));
    const times = resend.requests.map((request) => request.at).sort((a, b) => a - b);
    expect(accepted(resend.requests)).toHaveLength(6);
    // The default pace of a Resend channel is one request every 500 ms, from the first one.
    const gaps = times.slice(1).map((at, i) => at - times[i]!);
    expect(median(gaps)).toBeGreaterThanOrEqual(400);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(2_000);
  });

  test("a send whose turn lies past SENDEASY_SEND_QUEUE_MS is a 429 PROVIDER_RATE_LIMITED, with nothing stored or spent", async () => {
    const quick = await startTestServer({ SENDEASY_SEND_QUEUE_MS: "1000" });
    try {
      const channel = await quick.channel({
        type: "sms",
        address: "+15550001000",
        credits: 10,
        config: { maxPerSecond: 1 },
      });
      const { token } = await quick.token(channel.id);
      const answers = await Promise.all(
        Array.from({ length: 4 }, () => quick.send(token, SEED.sms)),
      );
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses).toEqual([200, 200, 429, 429]);
      for (const refused of answers.filter((answer) => answer.status === 429)) {
        expect(refused.body.error).toBe("PROVIDER_RATE_LIMITED");
        expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      }
      const listed = await quick.admin("GET", `/messages?channelId=${channel.id}`);
      expect(listed.body.data).toHaveLength(2);
      expect((await quick.admin("GET", `/channels/${channel.id}`)).body.credits).toBe(8);
    } finally {
      await quick.close();
    }
  });
});

describe("a provider's own rate limit", () => {
  test("Resend's 429 is sent again after its Retry-After with the same idempotency key", async () => {
    const token = await resendToken({ maxPerSecond: 100 });
    resend.limitRate(2, resendLimit);
    const keys = ["order-1", "order-2", "order-3", "order-4"];
    const answers = await Promise.all(
      keys.map((key) => t.send(token, order, { "idempotency-key": key })),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    const refused = resend.requests.filter((request) => request.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(2);
    const keyOf = (request: RecordedRequest) => request.headers.get("idempotency-key");
    expect(new Set(accepted(resend.requests).map(keyOf)).size).toBe(4);
    for (const first of refused) {
      const again = resend.requests.find((r) => r.at > first.at && keyOf(r) === keyOf(first));
      expect(again).toBeDefined();
      expect(again!.at - first.at).toBeGreaterThanOrEqual(1_000);
    }
  });

  test("a Resend 429 whose Retry-After lies past the budget is a 429 PROVIDER_RATE_LIMITED, not a 502", async () => {
    const token = await resendToken();
    resend.answerNext(withHeaders(resendLimit, { "retry-after": "30" }));
    const res = await t.send(token, order);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("30");
    expect(res.body).toMatchObject({
      error: "PROVIDER_RATE_LIMITED",
      provider: { name: "resend", code: "rate_limit_exceeded" },
    });
    expect(resend.requests).toHaveLength(1);
  });

  test("Twilio 20429 is sent again after its Retry-After, and the SMS goes out once", async () => {
    const channel = await t.channel({
      type: "sms",
      provider: "twilio",
      address: "+15005550006",
      config: { accountSid: twilio.accountSid, authToken: twilio.authToken, baseUrl: twilio.url },
    });
    const { token } = await t.token(channel.id);
    twilio.answerNext(withHeaders(twilioError(20429), { "retry-after": "1" }));
    const res = await t.send(token, SEED.sms);
    expect(res.status).toBe(200);
    const [first, second] = twilio.requests;
    expect(twilio.requests.map((request) => request.status)).toEqual([429, 201]);
    expect(second!.body).toBe(first!.body);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1_000);
    expect(await newestMessage(t, channel.id)).toMatchObject({ status: "sent" });
  });

  test("Meta 130429 is sent again (after a second, Meta names no delay)", async () => {
    const channel = await t.channel({
      type: "whatsapp",
      provider: "meta",
      address: "+15550783881",
      config: {
        phoneNumberId: meta.phoneNumberId,
        accessToken: meta.accessToken,
        apiVersion: meta.apiVersion,
        baseUrl: meta.url,
        enforceWindow: false,
      },
    });
    const { token } = await t.token(channel.id);
    meta.answerNext(metaError(130429));
    const res = await t.send(token, { number: "5511999999999", message: "Hello" });
    expect(res.status).toBe(200);
    expect(meta.requests.map((request) => request.status)).toEqual([429, 200]);
    expect(meta.requests[1]!.at - meta.requests[0]!.at).toBeGreaterThanOrEqual(1_000);
    expect(eventTypesOf(await newestMessage(t, channel.id))).toEqual(["sent"]);
  });
});

function withHeaders(answer: FakeAnswer, headers: Record<string, string>): FakeAnswer {
  if (answer === "hang") throw new Error("a hanging answer has no headers");
  return { ...answer, headers };
}

function eventTypesOf(message: { history: { status: string }[] }): string[] {
  return message.history.map((entry) => entry.status).filter((status) => status !== "queued");
}
