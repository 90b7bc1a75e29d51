import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { ChannelType } from "../../core/domain.ts";
import {
  ADDRESSES,
  SEED,
  startTestServer,
  type TestServer,
  waitFor,
} from "../support/test_server.ts";

let t: TestServer;
const tokens = {} as Record<ChannelType, string>;
const channels = {} as Record<ChannelType, string>;

beforeAll(async () => {
  t = await startTestServer();
  for (const type of ["whatsapp", "email", "sms"] as const) {
    const channel = await t.channel({ type, address: ADDRESSES[type], name: `${type} main` });
    channels[type] = channel.id;
    tokens[type] = (await t.token(channel.id)).token;
  }
});
afterAll(() => t.close());

function expectErrorShape(
  res: { status: number; body: any; headers: Headers },
  error: string,
): void {
  expect(res.body.error).toBe(error);
  expect(typeof res.body.message).toBe("string");
  expect(res.body.requestId).toMatch(/^req_/);
  expect(res.headers.get("x-request-id")).toBe(res.body.requestId);
}

describe("the seed's three curl examples", () => {
  for (const type of ["whatsapp", "email", "sms"] as const) {
    test(`the ${type} body answers 200 with a ${type} token`, async () => {
      const res = await t.send(tokens[type], SEED[type]);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: "sent",
        channel: { id: channels[type], type },
        provider: "sandbox",
      });
      expect(res.body.id).toMatch(/^msg_/);
      expect(typeof res.body.providerMessageId).toBe("string");
      expect(res.headers.get("x-request-id")).toMatch(/^req_/);
      if (type === "sms") expect(res.body.segments).toBe(1);
      else expect(res.body.segments).toBeUndefined();
    });

    for (const other of ["whatsapp", "email", "sms"] as const) {
      if (other === type) continue;
      test(`the ${type} body answers 400 with a ${other} token, naming what is missing`, async () => {
        const res = await t.send(tokens[other], SEED[type]);
        expect(res.status).toBe(400);
        expectErrorShape(res, "VALIDATION_ERROR");
        const paths = res.body.details.map((d: { path: string }) => d.path);
        const required = {
          whatsapp: ["/number", "/message"],
          email: ["/to", "/subject"],
          sms: ["/to", "/body"],
        }[other];
        for (const path of required) {
          if (!(path.slice(1) in SEED[type])) expect(paths).toContain(path);
        }
        expect(res.body.details.length).toBeGreaterThan(0);
      });
    }
  }

  test("a body channelType that differs from the token's answers 400 at /channelType", async () => {
    const res = await t.send(tokens.sms, { ...SEED.sms, channelType: "email" });
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: { path: string }) => d.path)).toContain("/channelType");
    const same = await t.send(tokens.sms, { ...SEED.sms, channelType: "sms" });
    expect(same.status).toBe(200);
  });

  test("a sent message is delivered by the sandbox and readable over the admin API", async () => {
    const res = await t.send(tokens.sms, SEED.sms);
    const message = await waitFor(async () => {
      const got = await t.admin("GET", `/messages/${res.body.id}`);
      return got.body.status === "delivered" ? got.body : undefined;
    });
    expect(message.history.map((h: { status: string }) => h.status)).toEqual(["sent", "delivered"]);
  });
});

describe("error rows", () => {
  test("a missing, malformed or unknown token answers the same 401", async () => {
    const bodies = await Promise.all(
      [undefined, "Basic abc", "Bearer se_short", `Bearer se_${"A".repeat(43)}`].map(
        async (authorization) => {
          const res = await fetch(`${t.url}/api/integration/generic`, {
            method: "POST",
            headers: {
              "content-type": "application/json",
              ...(authorization ? { authorization } : {}),
            },
            body: "{not json",
          });
          const body = await res.json();
          expect(res.status).toBe(401);
          return { error: body.error, message: body.message, details: body.details };
        },
      ),
    );
    for (const body of bodies) expect(body).toEqual(bodies[0]!);
    expect(bodies[0]!.error).toBe("ERR_NO_PERMISSION");
  });

  test("a rotated token is refused on the very next request", async () => {
    const { id, token } = await t.token(channels.sms);
    expect((await t.send(token, SEED.sms)).status).toBe(200);
    const rotated = await t.admin("POST", `/integrations/${id}/rotate`);
    expect(rotated.status).toBe(200);
    const old = await t.send(token, SEED.sms);
    expect(old.status).toBe(401);
    expectErrorShape(old, "ERR_NO_PERMISSION");
    expect((await t.send(rotated.body.token, SEED.sms)).status).toBe(200);
  });

  test("a revoked token and a disabled integration are refused", async () => {
    const a = await t.token(channels.sms);
    await t.send(a.token, SEED.sms);
    expect((await t.admin("POST", `/integrations/${a.id}/revoke`)).status).toBe(200);
    expect((await t.send(a.token, SEED.sms)).status).toBe(401);
    const b = await t.token(channels.sms);
    await t.send(b.token, SEED.sms);
    expect((await t.admin("PATCH", `/integrations/${b.id}`, { enabled: false })).status).toBe(200);
    expect((await t.send(b.token, SEED.sms)).status).toBe(401);
    expect((await t.admin("PATCH", `/integrations/${b.id}`, { enabled: true })).status).toBe(200);
    expect((await t.send(b.token, SEED.sms)).status).toBe(200);
  });

  test("an expired token is refused", async () => {
    const { token } = await t.token(channels.sms, {
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    });
    expect((await t.send(token, SEED.sms)).status).toBe(401);
  });

  test("a channel deleted after the token was created answers 404 CHANNEL_NOT_FOUND", async () => {
    const channel = await t.channel({ type: "sms", address: "+5511900000001" });
    const { token } = await t.token(channel.id);
    expect((await t.send(token, SEED.sms)).status).toBe(200);
    expect((await t.admin("DELETE", `/channels/${channel.id}`)).status).toBe(204);
    const res = await t.send(token, SEED.sms);
    expect(res.status).toBe(404);
    expectErrorShape(res, "CHANNEL_NOT_FOUND");
  });

  test("exhausted credits answer 402 and the provider is not called", async () => {
    const channel = await t.channel({ type: "sms", address: "+5511900000002", credits: 3 });
    const { token } = await t.token(channel.id);
    const twoSegments = { to: "+5511999999999", body: "x".repeat(161) };
    expect((await t.send(token, twoSegments)).status).toBe(200);
    const callsBefore = t.server.sandbox.records().filter((r) => r.channelId === channel.id).length;
    const res = await t.send(token, twoSegments);
    expect(res.status).toBe(402);
    expectErrorShape(res, "PROVIDER_ERROR");
    expect(t.server.sandbox.records().filter((r) => r.channelId === channel.id).length).toBe(
      callsBefore,
    );
    expect((await t.send(token, { to: "+5511999999999", body: "one" })).status).toBe(200);
    expect((await t.admin("GET", `/channels/${channel.id}`)).body.credits).toBe(0);
  });

  test("a provider failure answers 502 with the provider's words and refunds credits", async () => {
    const channel = await t.channel({ type: "sms", address: "+5511900000003", credits: 5 });
    const { token } = await t.token(channel.id);
    const res = await t.send(token, { to: "+15005550001", body: "hi" });
    expect(res.status).toBe(502);
    expectErrorShape(res, "PROVIDER_ERROR");
    expect(res.body.provider).toEqual({
      name: "sandbox",
      code: "sandbox_failure",
      message: expect.any(String),
    });
    expect((await t.admin("GET", `/channels/${channel.id}`)).body.credits).toBe(5);
    const failed = await t.admin("GET", `/messages?channelId=${channel.id}`);
    expect(failed.body.data[0].status).toBe("failed");
  });

  test("the provider saying out of funds answers 402; a provider timeout answers 502", async () => {
    const nofunds = await t.send(tokens.email, {
      ...SEED.email,
      to: "nofunds@sandbox.sendeasy.test",
    });
    expect(nofunds.status).toBe(402);
    expect(nofunds.body.provider.code).toBe("insufficient_funds");
    const timeout = await t.send(tokens.whatsapp, { ...SEED.whatsapp, number: "15005550003" });
    expect(timeout.status).toBe(502);
    expect(timeout.body.provider.code).toBe("timeout");
  });

  test("a body of 1 MiB + 1 byte answers 413", async () => {
    const filler = "x".repeat(1024 * 1024 + 1 - '{"to":"+5511999999999","body":""}'.length);
    const body = `{"to":"+5511999999999","body":"${filler}"}`;
    expect(new TextEncoder().encode(body).length).toBe(1024 * 1024 + 1);
    const res = await t.send(tokens.sms, body);
    expect(res.status).toBe(413);
    expectErrorShape(res, "PAYLOAD_TOO_LARGE");
  });

  test("a streamed body without Content-Length is bounded too: 413 past 1 MiB, 200 below", async () => {
    const streamed = (text: string) =>
      fetch(`${t.url}/api/integration/generic`, {
        method: "POST",
        headers: { authorization: `Bearer ${tokens.sms}`, "content-type": "application/json" },
        body: new Blob([text]).stream(),
        duplex: "half",
      } as RequestInit);
    const filler = "x".repeat(1024 * 1024);
    const huge = await streamed(`{"to":"+5511999999999","body":"${filler}"}`);
    expect(huge.status).toBe(413);
    expect((await huge.json()).error).toBe("PAYLOAD_TOO_LARGE");
    const small = await streamed(JSON.stringify(SEED.sms));
    expect(small.status).toBe(200);
  });

  test("a non-JSON content type answers 415; a charset parameter is fine", async () => {
    const res = await t.send(tokens.sms, JSON.stringify(SEED.sms), {
      "content-type": "text/plain",
    });
    expect(res.status).toBe(415);
    expectErrorShape(res, "UNSUPPORTED_MEDIA_TYPE");
    const ok = await t.send(tokens.sms, SEED.sms, {
      "content-type": "application/json; charset=utf-8",
    });
    expect(ok.status).toBe(200);
  });

  test("broken JSON and non-object JSON answer 400", async () => {
    for (const body of ["{", "[1,2]", '"text"', "null", ""]) {
      const res = await t.send(tokens.sms, body);
      expect(res.status).toBe(400);
      expectErrorShape(res, "VALIDATION_ERROR");
    }
  });

  test("checks run in the contract's order: 401 before 415 before 413 before 400", async () => {
    const huge = "x".repeat(1024 * 1024 + 10);
    expect((await t.send("nope", huge, { "content-type": "text/plain" })).status).toBe(401);
    expect((await t.send(tokens.sms, huge, { "content-type": "text/plain" })).status).toBe(415);
    expect((await t.send(tokens.sms, huge)).status).toBe(413);
  });

  test("legacy endpoints answer 410 naming the new endpoint", async () => {
    for (const path of ["whatsapp", "email", "sms", "send", "generic/sms"]) {
      const res = await fetch(`${t.url}/api/integration/${path}`, { method: "POST", body: "{}" });
      expect(res.status).toBe(410);
      const body = await res.json();
      expect(body.error).toBe("GONE");
      expect(body.message).toContain("POST /api/integration/generic");
    }
  });
});

describe("idempotency", () => {
  test("a repeat with the same body replays the first answer and sends once", async () => {
    const channel = await t.channel({ type: "sms", address: "+5511900000010" });
    const { token } = await t.token(channel.id);
    const headers = { "idempotency-key": "order-1" };
    const first = await t.send(token, SEED.sms, headers);
    const again = await t.send(token, { body: SEED.sms.body, to: SEED.sms.to }, headers);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(t.server.sandbox.records().filter((r) => r.channelId === channel.id).length).toBe(1);
  });

  test("the same key with a different body answers 422", async () => {
    const headers = { "idempotency-key": "order-2" };
    expect((await t.send(tokens.sms, SEED.sms, headers)).status).toBe(200);
    const res = await t.send(tokens.sms, { ...SEED.sms, body: "other" }, headers);
    expect(res.status).toBe(422);
    expectErrorShape(res, "IDEMPOTENCY_KEY_REUSED");
  });

  test("the same key while the first request runs answers 409 with Retry-After", async () => {
    const headers = { "idempotency-key": "slow-1" };
    const body = { ...SEED.whatsapp, number: "15005550003" };
    const first = t.send(tokens.whatsapp, body, headers);
    await Bun.sleep(100);
    const second = await t.send(tokens.whatsapp, body, headers);
    expect(second.status).toBe(409);
    expect(second.headers.get("retry-after")).toBe("1");
    expectErrorShape(second, "IDEMPOTENCY_IN_PROGRESS");
    expect((await first).status).toBe(502);
  });

  test("keys are scoped per integration, and a key over 255 characters answers 400", async () => {
    const other = await t.token(channels.sms);
    const headers = { "idempotency-key": "shared-key" };
    expect(
      (await t.send(tokens.sms, SEED.sms, headers)).headers.get("idempotent-replayed"),
    ).toBeNull();
    expect(
      (await t.send(other.token, SEED.sms, headers)).headers.get("idempotent-replayed"),
    ).toBeNull();
    const long = await t.send(tokens.sms, SEED.sms, { "idempotency-key": "k".repeat(256) });
    expect(long.status).toBe(400);
  });
});

describe("rate limits", () => {
  test("a token over its limit answers 429 with Retry-After", async () => {
    const { token } = await t.token(channels.sms, { rateLimit: { perSecond: 1, burst: 2 } });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 3; i++) {
      const res = await t.send(token, SEED.sms);
      statuses.push(res.status);
      if (res.status === 429) {
        retryAfter = res.headers.get("retry-after");
        expectErrorShape(res, "RATE_LIMITED");
      }
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });
});

describe("service endpoints", () => {
  test("health, ready and the OpenAPI document answer", async () => {
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
    const ready = await fetch(`${t.url}/ready`);
    expect(ready.status).toBe(200);
    expect((await ready.json()).checks.database).toBe("ok");
    const doc = await (await fetch(`${t.url}/docs/json`)).json();
    expect(Object.keys(doc.paths)).toContain("/api/integration/generic");
    expect(Object.keys(doc.paths)).toContain("/api/admin/integrations");
  });

  test("an unknown route answers 404 in the error shape", async () => {
    const res = await fetch(`${t.url}/nope`);
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(body.error).toBe("NOT_FOUND");
    expect(res.headers.get("x-request-id")).toBe(body.requestId);
  });
});
