/**
 * Hostile HTTP gets a 4xx in the error shape, never a 5xx: a missing or malformed `Host` on
 * admin, hook and page routes, bodies of any size (every 413 in the JSON shape with its
 * request id), and a `Retry-After` that is always a whole number of seconds ≤ 86 400.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  ADDRESSES,
  OPERATOR_KEY,
  SEED,
  startTestServer,
  type TestServer,
} from "../support/test_server.ts";
import { type RawAnswer, type RawRequest, rawRequest } from "./_raw_http.ts";

let t: TestServer;
let token: string;
let channelId: string;
beforeAll(async () => {
  t = await startTestServer();
  channelId = (await t.channel({ type: "sms", address: ADDRESSES.sms })).id;
  token = (await t.token(channelId)).token;
});
afterAll(() => t.close());

const send = (request: Omit<RawRequest, "version"> & { version?: RawRequest["version"] }) =>
  rawRequest(t.server.port, { version: "HTTP/1.1", ...request });

/** The error shape: JSON `{ error, message, requestId }` and the same id in `x-request-id`. */
function expectErrorShape(answer: RawAnswer, status: number): void {
  expect(answer.status).toBe(status);
  const id = answer.headers.get("x-request-id");
  expect(id).toMatch(/^req_/);
  expect(answer.headers.get("content-type")).toContain("application/json");
  const body = JSON.parse(answer.body);
  expect(body).toMatchObject({
    error: expect.any(String),
    message: expect.any(String),
    requestId: id,
  });
}

const BAD_HOSTS: (string | null)[] = [null, "", "a b", "[::1", "%", "x:99999", "ex.com/evil?", "é"];
const hostHeader = (host: string | null): [string, string][] =>
  host === null ? [] : [["Host", host]];

describe("a missing or malformed Host", () => {
  for (const host of BAD_HOSTS) {
    const label = host === null ? "no Host (HTTP/1.0)" : `Host ${JSON.stringify(host)}`;
    test(`${label}: admin routes answer, with and without a key`, async () => {
      const version = host === null ? "HTTP/1.0" : "HTTP/1.1";
      const anonymous = await send({
        version,
        method: "GET",
        target: "/api/admin/channels",
        headers: hostHeader(host),
      });
      expectErrorShape(anonymous, 401);
      const authorized = await send({
        version,
        method: "GET",
        target: "/api/admin/channels",
        headers: [...hostHeader(host), ["Authorization", `Bearer ${OPERATOR_KEY}`]],
      });
      expect(authorized.status).toBe(200);
      expect(JSON.parse(authorized.body).data.length).toBeGreaterThan(0);
    });

    test(`${label}: provider callbacks and the settings page answer`, async () => {
      const version = host === null ? "HTTP/1.0" : "HTTP/1.1";
      const twilio = await send({
        version,
        method: "POST",
        target: `/hooks/twilio/${channelId}?x=1`,
        headers: [...hostHeader(host), ["Content-Type", "application/x-www-form-urlencoded"]],
        body: new TextEncoder().encode("MessageSid=SM1&MessageStatus=delivered"),
      });
      expectErrorShape(twilio, 401);
      const meta = await send({
        version,
        method: "GET",
        target: `/hooks/meta/${channelId}?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1`,
        headers: hostHeader(host),
      });
      expectErrorShape(meta, 403);
      const page = await send({
        version,
        method: "GET",
        target: "/settings/integrations",
        headers: hostHeader(host),
      });
      expect(page.status).toBe(303);
      expect(page.headers.get("x-request-id")).toMatch(/^req_/);
      const signIn = await send({
        version,
        method: "POST",
        target: "/settings/sign-in",
        headers: [
          ...hostHeader(host),
          ["Origin", "http://evil.example"],
          ["Content-Type", "application/x-www-form-urlencoded"],
        ],
        body: new TextEncoder().encode("adminKey=x"),
      });
      expect(signIn.status).toBe(403);
      expect(signIn.headers.get("x-request-id")).toMatch(/^req_/);
    });
  }
});

describe("bodies of any size", () => {
  const big = new Uint8Array(9 * 1024 * 1024).fill(0x61);
  const json = [["Content-Type", "application/json"]] as [string, string][];

  test("over 8 MiB on the send endpoint: 413 in the error shape", async () => {
    const answer = await send({
      method: "POST",
      target: "/api/integration/generic",
      headers: [["Host", "localhost"], ["Authorization", `Bearer ${token}`], ...json],
      body: big,
    });
    expectErrorShape(answer, 413);
    expect(JSON.parse(answer.body).error).toBe("PAYLOAD_TOO_LARGE");
  });

  test("over 8 MiB without credentials: still 401 first (nothing about payload rules leaks)", async () => {
    const answer = await send({
      method: "POST",
      target: "/api/integration/generic",
      headers: [["Host", "localhost"], ...json],
      body: big,
    });
    expectErrorShape(answer, 401);
  });

  test("over the limit on the admin API, declared or chunked: 413 in the error shape", async () => {
    const auth: [string, string][] = [
      ["Host", "localhost"],
      ["Authorization", `Bearer ${OPERATOR_KEY}`],
      ...json,
    ];
    for (const framing of ["length", "chunked"] as const) {
      const answer = await send({
        method: "POST",
        target: "/api/admin/channels",
        headers: auth,
        body: big,
        framing,
      });
      expectErrorShape(answer, 413);
    }
    const unauthenticated = await send({
      method: "POST",
      target: "/api/admin/channels",
      headers: [["Host", "localhost"], ...json],
      body: big,
    });
    expectErrorShape(unauthenticated, 401);
  });

  test("an absurd declared length gets 413 in the error shape at once, on every route", async () => {
    for (const [target, headers] of [
      ["/api/integration/generic", [["Authorization", `Bearer ${token}`], ...json]],
      ["/api/admin/channels", [["Authorization", `Bearer ${OPERATOR_KEY}`], ...json]],
      [`/hooks/twilio/${channelId}`, []],
    ] as [string, [string, string][]][]) {
      const answer = await send({
        method: "POST",
        target,
        headers: [["Host", "localhost"], ...headers, ["Content-Length", String(2 ** 50)]],
        body: new Uint8Array(64),
        framing: "as-given",
      });
      expectErrorShape(answer, 413);
    }
  });

  test("the server still serves after all that", async () => {
    expect((await t.send(token, SEED.sms)).status).toBe(200);
  });
});

describe("Retry-After", () => {
  test("is a whole number of seconds ≤ 86400 however slow the token's limit", async () => {
    for (const perSecond of [1e-300, 1e-9, 0.001, 0.3]) {
      const { token: slow } = await t.token(channelId, { rateLimit: { perSecond, burst: 1 } });
      expect((await t.send(slow, SEED.sms)).status).toBe(200);
      const limited = await t.send(slow, SEED.sms);
      expect(limited.status).toBe(429);
      const value = limited.headers.get("retry-after") ?? "";
      expect(value).toMatch(/^[1-9][0-9]*$/);
      expect(Number(value)).toBeLessThanOrEqual(86_400);
    }
  });
});
