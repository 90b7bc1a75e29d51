/**
 * One address check for every URL the server calls on a company's behalf: provider base URLs
 * (set only with the operator key, checked when set and again when each SDK connects, after
 * DNS), WhatsApp `files` and SMS `mediaUrls`. Refusals never name the address a host resolved to.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MetaFake } from "../support/fakes/meta_fake.ts";
import { ResendFake } from "../support/fakes/resend_fake.ts";
import { TwilioFake } from "../support/fakes/twilio_fake.ts";
import { ADDRESSES, startTestServer, type TestServer } from "../support/test_server.ts";

// The server's resolver: names only it knows, so a request that reaches a fake through one of
// them went through the server's own address check (the system resolver cannot answer them).
const answers = new Map<string, string[]>();
const lookup = async (host: string): Promise<string[]> => answers.get(host) ?? [];
const PUBLIC = "93.184.216.34";

const ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
const AUTH_TOKEN = "fedcba9876543210fedcba9876543210";
const RESEND_KEY = "re_test_0123456789";
const META = { phoneNumberId: "106540352242922", accessToken: "EAAGtest", apiVersion: "v23.0" };

let strict: TestServer;
let open: TestServer;
let resend: ResendFake;
let twilio: TwilioFake;
let meta: MetaFake;
beforeAll(async () => {
  strict = await startTestServer({}, { start: { lookup } });
  open = await startTestServer({ SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true" }, { start: { lookup } });
  resend = new ResendFake(RESEND_KEY);
  twilio = new TwilioFake(ACCOUNT_SID, AUTH_TOKEN);
  meta = new MetaFake(META.phoneNumberId, META.accessToken, META.apiVersion);
});
afterAll(async () => {
  await Promise.all([strict.close(), open.close(), resend.stop(), twilio.stop(), meta.stop()]);
});

/** A real-provider channel of each kind, its `baseUrl` a name on the fake's port. */
const providers = [
  {
    name: "resend",
    fake: () => resend,
    channel: (baseUrl: string) => ({
      type: "email",
      provider: "resend",
      address: ADDRESSES.email,
      config: { apiKey: RESEND_KEY, baseUrl },
    }),
    body: { to: "customer@company.com", subject: "Hi", html: "<p>Hi</p>" },
  },
  {
    name: "twilio",
    fake: () => twilio,
    channel: (baseUrl: string) => ({
      type: "sms",
      provider: "twilio",
      address: ADDRESSES.sms,
      config: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, baseUrl },
    }),
    body: { to: "+5511999999999", body: "Your code: 123456" },
  },
  {
    name: "meta",
    fake: () => meta,
    channel: (baseUrl: string) => ({
      type: "whatsapp",
      provider: "meta",
      address: ADDRESSES.whatsapp,
      // Free text to a number that never wrote in: the 24-hour window is not this test's subject.
      config: { ...META, baseUrl, enforceWindow: false },
    }),
    body: { number: "5511999999999", message: "Hello" },
  },
] as const;

const port = (url: string): string => new URL(url).port;

describe("a provider's baseUrl", () => {
  test("a company key cannot set it (403, at /config/baseUrl); the operator key can", async () => {
    const created = await strict.admin("POST", "/companies", { name: "Tenant" });
    const companyKey = { authorization: `Bearer ${created.body.adminKey}` };
    const input = providers[0].channel(`https://${PUBLIC}`);
    const res = await strict.admin("POST", "/channels", { name: "x", ...input }, companyKey);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: "FORBIDDEN", details: [{ path: "/config/baseUrl" }] });
    expect(res.headers.get("x-request-id")).toBe(res.body.requestId);

    const { baseUrl: _, ...withoutBaseUrl } = input.config;
    const own = await strict.admin(
      "POST",
      "/channels",
      { name: "x", ...input, config: withoutBaseUrl },
      companyKey,
    );
    expect(own.status).toBe(201);
    const patch = await strict.admin(
      "PATCH",
      `/channels/${own.body.id}`,
      { config: { baseUrl: `https://${PUBLIC}` } },
      companyKey,
    );
    expect(patch.status).toBe(403);
    expect(
      (await strict.admin("GET", `/channels/${own.body.id}`, undefined, companyKey)).body.config,
    ).toEqual({});

    const byOperator = await strict.admin("POST", "/channels", { name: "x", ...input });
    expect(byOperator.status).toBe(201);
    expect(byOperator.body.config).toEqual({ baseUrl: `https://${PUBLIC}` });
  });

  test("one that is or resolves to a non-public address is refused when set", async () => {
    answers.set("internal.fake.test", ["10.1.2.3"]);
    const good = await strict.admin("POST", "/channels", {
      name: "x",
      ...providers[1].channel(`https://${PUBLIC}`),
    });
    expect(good.status).toBe(201);
    for (const baseUrl of [
      "http://127.0.0.1:1",
      "http://localhost:3000",
      "http://169.254.169.254",
      "http://[::1]:8080",
      "http://10.0.0.1",
      "http://internal.fake.test",
    ]) {
      const res = await strict.admin("POST", "/channels", {
        name: "x",
        ...providers[1].channel(baseUrl),
      });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ path: "/config/baseUrl", message: expect.any(String) }]);
      expect(res.body.details[0].message).not.toContain("10.1.2.3");
      const patch = await strict.admin("PATCH", `/channels/${good.body.id}`, {
        config: { baseUrl },
      });
      expect(patch.status).toBe(400);
    }
  });

  for (const p of providers) {
    test(`${p.name}: the SDK connects only to an address the check approved (DNS rebinding is refused)`, async () => {
      const host = `${p.name}.rebind.fake.test`;
      answers.set(host, [PUBLIC]);
      const channel = await strict.channel({
        name: "x",
        ...p.channel(`http://${host}:${port(p.fake().url)}`),
      });
      const { token } = await strict.token(channel.id);
      answers.set(host, ["127.0.0.1"]);
      p.fake().reset();
      const res = await strict.send(token, p.body);
      expect(res.status).toBe(502);
      expect(res.body.provider).toMatchObject({ name: p.name, code: "address_refused" });
      expect(res.body.provider.message).toContain(host);
      expect(JSON.stringify(res.body)).not.toContain("127.0.0.1");
      expect(p.fake().requests).toEqual([]);
    });

    test(`${p.name}: with private destinations allowed, the SDK reaches the address the check resolved`, async () => {
      const host = `${p.name}.allowed.fake.test`;
      answers.set(host, ["127.0.0.1"]);
      const channel = await open.channel({
        name: "x",
        ...p.channel(`http://${host}:${port(p.fake().url)}`),
      });
      const { token } = await open.token(channel.id);
      p.fake().reset();
      const res = await open.send(token, p.body);
      expect(res.status).toBe(200);
      expect(p.fake().requests[0]?.headers.get("host")).toBe(`${host}:${port(p.fake().url)}`);
    });
  }
});

describe("media URLs of a send", () => {
  let whatsapp: string;
  let sms: string;
  beforeAll(async () => {
    answers.set("cdn.internal.test", ["10.0.0.5"]);
    answers.set("cdn.public.test", [PUBLIC]);
    whatsapp = (
      await strict.token(
        (
          await strict.channel({ type: "whatsapp", address: ADDRESSES.whatsapp })
        ).id,
      )
    ).token;
    sms = (await strict.token((await strict.channel({ type: "sms", address: ADDRESSES.sms })).id))
      .token;
  });

  test("WhatsApp files on loopback, private or metadata hosts are refused with 400", async () => {
    for (const file of [
      "http://127.0.0.1:8080/deck.pdf",
      "http://169.254.169.254/latest/meta-data/",
      "http://[::1]/a.png",
      "https://cdn.internal.test/a.png",
    ]) {
      const res = await strict.send(whatsapp, {
        number: "5511999999999",
        message: "hi",
        files: ["https://cdn.public.test/ok.pdf", file],
      });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ path: "/files/1", message: expect.any(String) }]);
      expect(res.body.details[0].message).not.toContain("10.0.0.5");
    }
  });

  test("SMS mediaUrls whose host resolves to a private address are refused with 400", async () => {
    const res = await strict.send(sms, {
      to: "+5511999999999",
      body: "hi",
      mediaUrls: ["https://cdn.internal.test/a.png"],
    });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ path: "/mediaUrls/0", message: expect.any(String) }]);
    expect(res.body.details[0].message).not.toContain("10.0.0.5");
  });

  test("public and unresolvable hosts pass; private ones pass when private destinations are allowed", async () => {
    const files = ["https://cdn.public.test/a.pdf", "https://nowhere.example/b.pdf"];
    expect(
      (await strict.send(whatsapp, { number: "5511999999999", message: "hi", files })).status,
    ).toBe(200);
    const token = (
      await open.token((await open.channel({ type: "whatsapp", address: ADDRESSES.whatsapp })).id)
    ).token;
    const res = await open.send(token, {
      number: "5511999999999",
      message: "hi",
      files: ["http://127.0.0.1:8080/deck.pdf", "https://cdn.internal.test/a.png"],
    });
    expect(res.status).toBe(200);
  });
});
