import { afterEach, describe, expect, test } from "bun:test";
import { ApiClient, withQuery } from "../../cli/http_client.ts";
import { type FakeApi, json, startFakeApi } from "./fake_admin_api.ts";

const KEY = "sk_test_admin_key_0123456789";
let api: FakeApi | undefined;

afterEach(() => {
  api?.stop();
  api = undefined;
});

describe("ApiClient", () => {
  test("sends the bearer key, Sendeasy-Company and a JSON body", async () => {
    api = startFakeApi({
      adminKey: KEY,
      routes: { "POST /api/admin/channels": () => json(201, { id: "ch_1" }) },
    });
    const client = new ApiClient({ baseUrl: `${api.url}/`, bearer: KEY, company: "co_42" });
    const result = await client.request("POST", "/api/admin/channels", {
      body: { json: { name: "N" } },
    });
    expect(result).toMatchObject({ ok: true, status: 201, body: { id: "ch_1" } });
    const [request] = api.requests;
    expect(request?.headers.get("authorization")).toBe(`Bearer ${KEY}`);
    expect(request?.headers.get("sendeasy-company")).toBe("co_42");
    expect(request?.headers.get("content-type")).toBe("application/json");
    expect(request?.body).toBe('{"name":"N"}');
  });

  test("leaves Sendeasy-Company out when no company is given", async () => {
    api = startFakeApi({
      adminKey: KEY,
      routes: { "GET /api/admin/channels/ch_1": () => json(200, {}) },
    });
    await new ApiClient({ baseUrl: api.url, bearer: KEY }).request(
      "GET",
      "/api/admin/channels/ch_1",
    );
    expect(api.requests[0]?.headers.has("sendeasy-company")).toBe(false);
  });

  test("a raw body is sent byte for byte", async () => {
    api = startFakeApi({
      adminKey: KEY,
      tokens: ["se_t"],
      routes: { "POST /api/integration/generic": () => json(200, {}) },
    });
    const raw = '{ "number":"15551234567",  "message": "hé" , "zz": 1e2 }';
    await new ApiClient({ baseUrl: api.url, bearer: "se_t" }).request(
      "POST",
      "/api/integration/generic",
      {
        body: { raw },
      },
    );
    expect(api.requests[0]?.body).toBe(raw);
  });

  test("an error status gives HTTP_ERROR with the parsed error body and its request id", async () => {
    api = startFakeApi({ adminKey: KEY, routes: {} });
    const result = await new ApiClient({ baseUrl: api.url, bearer: "wrong" }).request(
      "GET",
      "/api/admin/channels",
    );
    expect(result).toMatchObject({
      ok: false,
      code: "HTTP_ERROR",
      status: 401,
      error: { error: "ERR_NO_PERMISSION", message: "Missing or invalid credentials", details: [] },
      requestId: "req_denied",
    });
  });

  test("an error without Sendeasy's shape keeps the raw text and the x-request-id header", async () => {
    api = startFakeApi({
      adminKey: KEY,
      routes: {
        "GET /api/admin/companies": () =>
          new Response("<html>bad gateway</html>", {
            status: 502,
            headers: { "x-request-id": "req_proxy" },
          }),
      },
    });
    const result = await new ApiClient({ baseUrl: api.url, bearer: KEY }).request(
      "GET",
      "/api/admin/companies",
    );
    expect(result).toMatchObject({
      ok: false,
      code: "HTTP_ERROR",
      status: 502,
      error: null,
      requestId: "req_proxy",
    });
    expect(result.ok === false && result.code === "HTTP_ERROR" && result.text).toBe(
      "<html>bad gateway</html>",
    );
  });

  test("204 gives a null body; a 2xx that is not JSON is BAD_RESPONSE", async () => {
    api = startFakeApi({
      adminKey: KEY,
      routes: {
        "DELETE /api/admin/channels/ch_1": () => new Response(null, { status: 204 }),
        "GET /api/admin/channels/ch_1": () => new Response("ok", { status: 200 }),
      },
    });
    const client = new ApiClient({ baseUrl: api.url, bearer: KEY });
    expect(await client.request("DELETE", "/api/admin/channels/ch_1")).toMatchObject({
      ok: true,
      body: null,
    });
    expect(await client.request("GET", "/api/admin/channels/ch_1")).toMatchObject({
      ok: false,
      code: "BAD_RESPONSE",
    });
  });

  test("an unreachable server is NETWORK_ERROR naming the origin", async () => {
    const port = (() => {
      const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
      const free = probe.port;
      probe.stop(true);
      return free;
    })();
    const result = await new ApiClient({
      baseUrl: `http://127.0.0.1:${port}`,
      bearer: KEY,
    }).request("GET", "/x");
    expect(result).toMatchObject({ ok: false, code: "NETWORK_ERROR" });
    expect(result.ok === false && result.code === "NETWORK_ERROR" && result.message).toContain(
      `cannot reach http://127.0.0.1:${port}`,
    );
  });

  test("a server slower than the timeout is NETWORK_ERROR, not a hang", async () => {
    api = startFakeApi({
      adminKey: KEY,
      routes: { "GET /api/admin/slow": () => new Response(new ReadableStream({ start() {} })) },
    });
    const client = new ApiClient({ baseUrl: api.url, bearer: KEY, timeoutMs: 100 });
    expect(await client.request("GET", "/api/admin/slow")).toMatchObject({
      ok: false,
      code: "NETWORK_ERROR",
    });
  });
});

describe("ApiClient.listAll()", () => {
  const pages: Record<string, unknown> = {
    "": { data: [{ id: "ch_3" }, { id: "ch_2" }], nextCursor: "ch_2" },
    ch_2: { data: [{ id: "ch_1" }], nextCursor: null },
  };

  test("follows nextCursor with limit=100 until it is null, keeping the server's order and filters", async () => {
    api = startFakeApi({
      adminKey: KEY,
      routes: {
        "GET /api/admin/integrations": (r) => json(200, pages[r.query.get("cursor") ?? ""]),
      },
    });
    const result = await new ApiClient({ baseUrl: api.url, bearer: KEY }).listAll(
      "/api/admin/integrations?kind=custom",
    );
    expect(result).toEqual({ ok: true, items: [{ id: "ch_3" }, { id: "ch_2" }, { id: "ch_1" }] });
    expect(
      api.requests.map((r) => [r.query.get("kind"), r.query.get("limit"), r.query.get("cursor")]),
    ).toEqual([
      ["custom", "100", null],
      ["custom", "100", "ch_2"],
    ]);
  });

  test("stops with BAD_RESPONSE when the server repeats a cursor", async () => {
    api = startFakeApi({
      adminKey: KEY,
      routes: {
        "GET /api/admin/channels": () => json(200, { data: [{ id: "ch_1" }], nextCursor: "ch_1" }),
      },
    });
    const result = await new ApiClient({ baseUrl: api.url, bearer: KEY }).listAll(
      "/api/admin/channels",
    );
    expect(result).toMatchObject({ ok: false, code: "BAD_RESPONSE" });
    expect(api.requests).toHaveLength(2);
  });

  test("a body that is not a list is BAD_RESPONSE; a failed page is that failure", async () => {
    api = startFakeApi({
      adminKey: KEY,
      routes: { "GET /api/admin/channels": () => json(200, [{ id: "ch_1" }]) },
    });
    const client = new ApiClient({ baseUrl: api.url, bearer: KEY });
    expect(await client.listAll("/api/admin/channels")).toMatchObject({
      ok: false,
      code: "BAD_RESPONSE",
    });
    expect(await client.listAll("/api/admin/nothing")).toMatchObject({
      ok: false,
      code: "HTTP_ERROR",
      status: 404,
    });
  });
});

describe("withQuery()", () => {
  test("adds parameters to a path with or without a query, encoding them", () => {
    expect(withQuery("/a", { limit: "100" })).toBe("/a?limit=100");
    expect(withQuery("/a?kind=custom", { cursor: "x y&z" })).toBe("/a?kind=custom&cursor=x+y%26z");
    expect(withQuery("/a", {})).toBe("/a");
  });
});
