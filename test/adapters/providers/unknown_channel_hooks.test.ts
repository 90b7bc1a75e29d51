/**
 * A callback to a channel that does not exist (or was deleted, or uses another provider) gets
 * exactly the answer a forged callback to a real channel gets, so channel ids cannot be probed
 * through `/hooks/<provider>/<channelId>`.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startProviderServer } from "../../support/provider_server.ts";
import { ADDRESSES, type TestServer } from "../../support/test_server.ts";

let t: TestServer;
const real: Record<string, string> = {};
let deleted: string;
beforeAll(async () => {
  t = await startProviderServer();
  const base = "https://93.184.216.34";
  real.twilio = (
    await t.channel({
      type: "sms",
      provider: "twilio",
      address: ADDRESSES.sms,
      config: { accountSid: "AC0123", authToken: "a".repeat(32), baseUrl: base },
    })
  ).id;
  real.resend = (
    await t.channel({
      type: "email",
      provider: "resend",
      address: ADDRESSES.email,
      config: { apiKey: "re_x", webhookSecret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" },
    })
  ).id;
  real.meta = (
    await t.channel({
      type: "whatsapp",
      provider: "meta",
      address: ADDRESSES.whatsapp,
      config: { phoneNumberId: "1", accessToken: "t", appSecret: "s", verifyToken: "v" },
    })
  ).id;
  deleted = (
    await t.channel({
      type: "sms",
      provider: "twilio",
      address: ADDRESSES.sms,
      config: { accountSid: "AC1", authToken: "b".repeat(32) },
    })
  ).id;
  await t.admin("DELETE", `/channels/${deleted}`);
});
afterAll(() => t.close());

/** Status and body of an answer, the request id left out. */
async function answer(path: string, init: RequestInit = {}): Promise<string> {
  const res = await fetch(t.url + path, init);
  const text = await res.text();
  const body = text.startsWith("{") ? { ...JSON.parse(text), requestId: undefined } : text;
  return JSON.stringify({ status: res.status, body, type: res.headers.get("content-type") });
}

const posts: Record<string, RequestInit[]> = {
  twilio: [
    {
      method: "POST",
      body: "MessageSid=SM1&MessageStatus=delivered",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": "bm9wZQ==",
      },
    },
    {
      method: "POST",
      body: "MessageSid=SM1",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    },
  ],
  resend: [
    {
      method: "POST",
      body: '{"type":"email.delivered","data":{"email_id":"x"}}',
      headers: {
        "content-type": "application/json",
        "webhook-id": "msg_1",
        "webhook-timestamp": String(Math.floor(Date.now() / 1000)),
        "webhook-signature": "v1,bm9wZQ==",
      },
    },
    { method: "POST", body: "{}", headers: { "content-type": "application/json" } },
  ],
  meta: [
    { method: "POST", body: "{}", headers: { "x-hub-signature-256": `sha256=${"0".repeat(64)}` } },
    { method: "POST", body: "{}" },
  ],
};

for (const provider of ["twilio", "resend", "meta"]) {
  test(`${provider}: an unknown, deleted or other provider's channel answers as a forgery to a real one does`, async () => {
    const others = [
      "ch_01JD8Z6S3M4Q2V8XK9N0PB7R5T",
      deleted,
      ...Object.values(real).filter((id) => id !== real[provider]),
    ];
    for (const init of posts[provider]!) {
      const expected = await answer(`/hooks/${provider}/${real[provider]}`, init);
      expect(JSON.parse(expected).status).toBe(401);
      for (const id of others)
        expect(await answer(`/hooks/${provider}/${id}`, init)).toBe(expected);
    }
  });
}

test("meta: the verification handshake of an unknown channel answers as a wrong verify token does", async () => {
  const query = "?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1";
  const expected = await answer(`/hooks/meta/${real.meta}${query}`);
  expect(JSON.parse(expected).status).toBe(403);
  expect(await answer(`/hooks/meta/ch_01JD8Z6S3M4Q2V8XK9N0PB7R5T${query}`)).toBe(expected);
});

test("a listed callback URL is one a route answers: real providers' only, never the sandbox's", async () => {
  const sandbox = await t.channel({ type: "sms", address: ADDRESSES.sms });
  expect(sandbox.callbackUrl).toBeNull();
  const listed = (await t.admin("GET", "/channels?limit=100")).body.data as {
    provider: string;
    callbackUrl: string | null;
  }[];
  for (const channel of listed) {
    if (channel.provider === "sandbox") {
      expect(channel.callbackUrl).toBeNull();
      continue;
    }
    const path = new URL(channel.callbackUrl as string).pathname;
    const res = await fetch(t.url + path, { method: "POST", body: "{}" });
    expect(res.status).toBe(401);
  }
});
