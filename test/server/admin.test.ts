import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ADDRESSES, SEED, startTestServer, type TestServer } from "../support/test_server.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

describe("admin authentication", () => {
  test("a missing or wrong admin key answers 401 before the body is looked at", async () => {
    for (const authorization of [undefined, "Bearer wrong-key-wrong-key-wrong", "Basic x"]) {
      const res = await fetch(`${t.url}/api/admin/channels`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(authorization ? { authorization } : {}),
        },
        body: "{broken",
      });
      expect(res.status).toBe(401);
      const body = await res.json();
      expect(body.error).toBe("ERR_NO_PERMISSION");
      expect(res.headers.get("x-request-id")).toBe(body.requestId);
    }
  });

  test("a send token is not an admin key", async () => {
    const channel = await t.channel({ type: "sms", address: ADDRESSES.sms });
    const { token } = await t.token(channel.id);
    const res = await fetch(`${t.url}/api/admin/channels`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(401);
  });
});

describe("company isolation", () => {
  test("a company key sees only its company; another company's ids answer 404, never 403", async () => {
    const a = await t.admin("POST", "/companies", { name: "Acme" });
    const b = await t.admin("POST", "/companies", { name: "Globex" });
    expect(a.status).toBe(201);
    expect(a.body.company.id).toMatch(/^co_/);
    expect(a.body.adminKey).toMatch(/^sk_/);
    const asA = (method: string, path: string, body?: unknown) =>
      t.admin(method, path, body, { authorization: `Bearer ${a.body.adminKey}` });
    const asB = (method: string, path: string, body?: unknown) =>
      t.admin(method, path, body, { authorization: `Bearer ${b.body.adminKey}` });

    const channelA = await asA("POST", "/channels", {
      type: "sms",
      address: ADDRESSES.sms,
      name: "A sms",
    });
    expect(channelA.status).toBe(201);
    const tokenA = await asA("POST", "/integrations", {
      kind: "custom",
      name: "a",
      channelId: channelA.body.id,
    });
    expect(tokenA.status).toBe(201);
    const sent = await t.send(tokenA.body.token, SEED.sms);
    expect(sent.status).toBe(200);

    // B sees none of it, and cannot touch it.
    expect((await asB("GET", "/channels")).body.data).toEqual([]);
    expect((await asB("GET", "/integrations")).body.data).toEqual([]);
    expect((await asB("GET", "/messages")).body.data).toEqual([]);
    for (const [method, path, body] of [
      ["GET", `/channels/${channelA.body.id}`],
      ["PATCH", `/channels/${channelA.body.id}`, { name: "stolen" }],
      ["DELETE", `/channels/${channelA.body.id}`],
      ["GET", `/integrations/${tokenA.body.integration.id}`],
      ["POST", `/integrations/${tokenA.body.integration.id}/rotate`],
      ["DELETE", `/integrations/${tokenA.body.integration.id}`],
      ["GET", `/messages/${sent.body.id}`],
    ] as const) {
      const res = await asB(method, path, body);
      expect(res.status).toBe(404);
    }
    const crossToken = await asB("POST", "/integrations", {
      kind: "custom",
      name: "x",
      channelId: channelA.body.id,
    });
    expect(crossToken.status).toBe(400);
    // A company key cannot pick another company or manage companies.
    expect((await asB("GET", "/channels", undefined)).status).toBe(200);
    expect(
      (
        await t.admin("GET", "/channels", undefined, {
          authorization: `Bearer ${b.body.adminKey}`,
          "sendeasy-company": a.body.company.id,
        })
      ).status,
    ).toBe(404);
    expect((await asB("POST", "/companies", { name: "nope" })).status).toBe(401);

    // A still owns everything, and the operator reaches it through Sendeasy-Company.
    expect((await asA("GET", `/channels/${channelA.body.id}`)).body.name).toBe("A sms");
    const viaOperator = await t.admin("GET", "/messages", undefined, {
      "sendeasy-company": a.body.company.id,
    });
    expect(viaOperator.body.data.map((m: { id: string }) => m.id)).toContain(sent.body.id);
    expect(
      (await t.admin("GET", "/channels", undefined, { "sendeasy-company": "co_nope" })).status,
    ).toBe(404);
  });
});

describe("channels and integrations", () => {
  test("channel secrets are never echoed; the callback URL is", async () => {
    const res = await t.admin("POST", "/channels", {
      type: "email",
      provider: "resend",
      address: "news@shop.example",
      name: "News",
      config: { apiKey: "re_super_secret_value_123", baseUrl: "https://93.184.216.34" },
    });
    expect(res.status).toBe(201);
    expect(JSON.stringify(res.body)).not.toContain("re_super_secret_value_123");
    expect(res.body.secrets).toEqual(["apiKey"]);
    expect(res.body.config).toEqual({ baseUrl: "https://93.184.216.34" });
    expect(res.body.callbackUrl).toContain(`/hooks/resend/${res.body.id}`);
    const list = await t.admin("GET", "/channels");
    expect(JSON.stringify(list.body)).not.toContain("re_super_secret_value_123");
  });

  test("bad channel input answers 400 with every problem", async () => {
    const res = await t.admin("POST", "/channels", {
      type: "sms",
      provider: "resend",
      address: "5511",
      name: "x",
      config: { nope: "1" },
    });
    expect(res.status).toBe(400);
    const paths = res.body.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(["/provider", "/address", "/config/nope"]));
    const unknown = await t.admin("POST", "/channels", {
      type: "sms",
      address: ADDRESSES.sms,
      name: "x",
      colour: "red",
    });
    expect(unknown.status).toBe(400);
  });

  test("a custom integration without a channel answers 400", async () => {
    const res = await t.admin("POST", "/integrations", { kind: "custom", name: "no channel" });
    expect(res.status).toBe(400);
    expect(res.body.details[0].path).toBe("/channelId");
  });

  test("lists are newest first and cursor-paginated", async () => {
    const created: string[] = [];
    for (let i = 0; i < 5; i++)
      created.push(
        (await t.channel({ type: "sms", address: ADDRESSES.sms, name: `page ${i}` })).id,
      );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { data: { id: string }[]; nextCursor: string | null } } = await t.admin(
        "GET",
        `/channels?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.data.map((c) => c.id));
      cursor = res.body.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual([...seen].sort().reverse());
    expect(seen.slice(0, 5)).toEqual([...created].reverse());
  });

  test("a token is shown once: lists show only its prefix", async () => {
    const channel = await t.channel({ type: "sms", address: ADDRESSES.sms });
    const { id, token } = await t.token(channel.id);
    const got = await t.admin("GET", `/integrations/${id}`);
    expect(JSON.stringify(got.body)).not.toContain(token);
    expect(got.body.tokenPrefix).toBe(token.slice(0, 11));
    expect(got.body.tokenOld).toBe(false);
    const list = await t.admin("GET", "/integrations?kind=custom");
    expect(JSON.stringify(list.body)).not.toContain(token);
  });

  test("simulate-inbound records a received message on a sandbox channel", async () => {
    const channel = await t.channel({ type: "whatsapp", address: ADDRESSES.whatsapp });
    const res = await t.admin("POST", `/channels/${channel.id}/simulate-inbound`, {
      from: "5511988887777",
      text: "hello",
    });
    expect(res.status).toBe(201);
    const message = await t.admin("GET", `/messages/${res.body.message.id}`);
    expect(message.body).toMatchObject({ direction: "inbound", status: "received" });
  });
});

describe("token cache", () => {
  test("a lookup that raced a rotation is not cached: the old token is refused at once", async () => {
    const { CachedTokenStore } = await import("../../adapters/cache/cached_token_store.ts");
    const { MemoryTokenCache } = await import("../../adapters/cache/token_cache_memory.ts");
    const cache = new MemoryTokenCache();
    const stale = { token: { status: "active" } } as never;
    const rotated = { token: { status: "rotated" } } as never;
    // A store read that is slow: the rotation's invalidation lands while it is in flight.
    const reads = { count: 0, answer: stale, slow: Promise.withResolvers<void>() };
    const slowStore = {
      findTokenByHash: async () => {
        reads.count += 1;
        const answer = reads.answer;
        await reads.slow.promise;
        return answer;
      },
    };
    const store = new CachedTokenStore(slowStore, cache);
    const lookup = store.findTokenByHash("hash-1");
    reads.answer = rotated;
    await cache.invalidate(["hash-1"]);
    reads.slow.resolve();
    expect(await lookup).toBe(stale);
    expect(await store.findTokenByHash("hash-1")).toBe(rotated);
    expect(reads.count).toBe(2);
    // Not raced: cached.
    expect(await store.findTokenByHash("hash-1")).toBe(rotated);
    expect(reads.count).toBe(2);
  });
});
