import { afterEach, describe, expect, test } from "bun:test";
import { parseEvents } from "../../../cli/commands/webhook.ts";
import { runCli } from "../../../cli/run_cli.ts";
import { captureContext } from "../../support/capture_context.ts";
import {
  apiError,
  type FakeApi,
  type FakeApiOptions,
  json,
  startFakeApi,
} from "../fake_admin_api.ts";

const KEY = "sk_test_admin_key_0123456789";
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
let api: FakeApi | undefined;

afterEach(() => {
  api?.stop();
  api = undefined;
});

function withApi(routes: FakeApiOptions["routes"]) {
  api = startFakeApi({ adminKey: KEY, routes });
  return { api, ...captureContext({ baseUrl: api.url, adminKey: KEY }) };
}

const webhook = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  kind: "webhook",
  name: `Hook ${id}`,
  enabled: true,
  scope: "general",
  channelId: null,
  url: "https://example.com/hooks",
  hasBearerToken: false,
  events: null,
  createdAt: "2026-05-01T00:00:00.000Z",
  updatedAt: "2026-05-01T00:00:00.000Z",
  ...extra,
});

const attempt = (statusCode: number | null, extra: Record<string, unknown> = {}) => ({
  id: "att_1",
  trigger: "manual",
  startedAt: "2026-06-01T00:00:00.000Z",
  durationMs: 42,
  statusCode,
  responseBody: statusCode === null ? null : "ok",
  error: null,
  ...extra,
});

const testAnswer = (statusCode: number | null, extra: Record<string, unknown> = {}) =>
  json(200, {
    eventId: "evt_1",
    deliveryId: "dlv_1",
    status: statusCode !== null && statusCode < 300 ? "succeeded" : "failed",
    attempt: attempt(statusCode, extra),
  });

describe("parseEvents()", () => {
  test("splits on commas, trims, drops empties and duplicates", () => {
    expect(parseEvents(" message.received ,message.failed,,message.received")).toEqual({
      ok: true,
      events: ["message.received", "message.failed"],
    });
  });

  test.each([["message.bounced"], ["integration.test"], [""], [" , "]])("%p is refused", (text) => {
    expect(parseEvents(text).ok).toBe(false);
  });
});

describe("webhook add", () => {
  test("a general webhook: prints the id, then the signing secret alone on the last line", async () => {
    const { ctx, stdout, stderr, api } = withApi({
      "POST /api/admin/integrations": () =>
        json(201, { integration: webhook("int_1"), signingSecret: SECRET }),
    });
    const argv = ["webhook", "add", "--url", "https://example.com/hooks", "--name", "CRM"];
    expect(await runCli(argv, ctx)).toBe(0);
    expect(stdout).toEqual(["int_1", SECRET]);
    expect(stderr.join("\n")).not.toContain(SECRET);
    expect(stderr.join("\n")).toContain("shown only once");
    expect(JSON.parse(api.requests[0]?.body ?? "")).toEqual({
      kind: "webhook",
      name: "CRM",
      scope: "general",
      url: "https://example.com/hooks",
    });
  });

  test("--channel makes it a channel webhook; --bearer and --events are sent", async () => {
    const { ctx, stdout, api } = withApi({
      "POST /api/admin/integrations": () =>
        json(201, { integration: webhook("int_2"), signingSecret: SECRET }),
    });
    const argv = [
      "webhook",
      "add",
      "--url",
      "https://example.com/hooks",
      "--name",
      "Sales",
      "--channel",
      "ch_7",
      "--bearer",
      "tok_abc",
      "--events",
      "message.received,message.failed",
    ];
    expect(await runCli(argv, ctx)).toBe(0);
    expect(stdout.at(-1)).toBe(SECRET);
    expect(JSON.parse(api.requests[0]?.body ?? "")).toEqual({
      kind: "webhook",
      name: "Sales",
      scope: "channel",
      channelId: "ch_7",
      url: "https://example.com/hooks",
      bearerToken: "tok_abc",
      events: ["message.received", "message.failed"],
    });
  });

  test("--json prints the server's answer", async () => {
    const body = { integration: webhook("int_3"), signingSecret: SECRET };
    const { ctx, stdout } = withApi({ "POST /api/admin/integrations": () => json(201, body) });
    const argv = ["webhook", "add", "--url", "http://x.test/", "--name", "N", "--json"];
    expect(await runCli(argv, ctx)).toBe(0);
    expect(JSON.parse(stdout.join("\n"))).toEqual(body);
  });

  test.each([
    [["--events", "message.bounced"], '--events: unknown event "message.bounced"'],
    [["--events", "integration.test"], "unknown event"],
    [["--channel", "co_1"], "--channel: expected a channel id"],
    [["--url", "ftp://example.com"], "--url must be an absolute http(s) URL"],
    [["--url", "example.com/hooks"], "--url must be an absolute http(s) URL"],
  ])("%p is a usage error (exit 2) and sends nothing", async (extra, message) => {
    const { ctx, stderr, api } = withApi({});
    const base = { "--url": "https://example.com/hooks", "--name": "N" } as Record<string, string>;
    for (let i = 0; i < extra.length; i += 2) base[extra[i] as string] = extra[i + 1] as string;
    const argv = ["webhook", "add", ...Object.entries(base).flat()];
    expect(await runCli(argv, ctx)).toBe(2);
    expect(stderr[0]).toContain(message);
    expect(stderr[1]).toStartWith("usage: sendeasy webhook add --url U --name N");
    expect(api.requests).toEqual([]);
  });

  test("a missing --url is a usage error", async () => {
    const { ctx, stderr } = withApi({});
    expect(await runCli(["webhook", "add", "--name", "N"], ctx)).toBe(2);
    expect(stderr[0]).toBe('error: missing required flag "--url"');
  });

  test("a refused URL exits 1 with the server's details and prints no secret", async () => {
    const { ctx, stdout, stderr } = withApi({
      "POST /api/admin/integrations": () =>
        json(400, {
          error: "VALIDATION_ERROR",
          message: "Invalid payload",
          details: [{ path: "/url", message: "resolves to a private address" }],
          requestId: "req_v",
        }),
    });
    const argv = ["webhook", "add", "--url", "http://10.0.0.1/", "--name", "N"];
    expect(await runCli(argv, ctx)).toBe(1);
    expect(stdout).toEqual([]);
    expect(stderr).toEqual([
      "error: Invalid payload (VALIDATION_ERROR, request req_v)",
      "  /url: resolves to a private address",
    ]);
  });
});

describe("webhook list", () => {
  const LIST = [
    webhook("int_a", { events: ["message.received", "message.failed"] }),
    webhook("int_b", { scope: "channel", channelId: "ch_1", enabled: false }),
    webhook("int_c", { enabled: false, disabledReason: "gone" }),
    webhook("int_d", { enabled: false, disabledReason: "failing", url: "https://d.test/x" }),
    { id: "int_tok", kind: "custom", name: "App", enabled: true },
  ];
  const routes = {
    "GET /api/admin/integrations": () => json(200, { data: LIST, nextCursor: null }),
  };

  test("asks for webhooks and flags the ones the server disabled", async () => {
    const { ctx, stdout, api } = withApi(routes);
    expect(await runCli(["webhook", "list"], ctx)).toBe(0);
    expect(api.requests[0]?.query.get("kind")).toBe("webhook");
    expect(stdout).toEqual([
      "ID     NAME        SCOPE    CHANNEL  URL                        EVENTS                           STATUS",
      "int_a  Hook int_a  general  -        https://example.com/hooks  message.received,message.failed  enabled",
      "int_b  Hook int_b  channel  ch_1     https://example.com/hooks  all                              disabled",
      "int_c  Hook int_c  general  -        https://example.com/hooks  all                              ⚠ disabled (gone)",
      "int_d  Hook int_d  general  -        https://d.test/x           all                              ⚠ disabled (failing)",
    ]);
  });

  test("--json prints every webhook as one array", async () => {
    const { ctx, stdout } = withApi(routes);
    expect(await runCli(["webhook", "list", "--json"], ctx)).toBe(0);
    const rows = JSON.parse(stdout.join("\n"));
    expect(rows.map((row: { id: string }) => row.id)).toEqual(["int_a", "int_b", "int_c", "int_d"]);
    expect(rows[2]).toMatchObject({ enabled: false, disabledReason: "gone" });
  });

  test("follows the cursor across pages", async () => {
    const { ctx, stdout, api } = withApi({
      "GET /api/admin/integrations": (request) =>
        request.query.get("cursor") === null
          ? json(200, { data: [webhook("int_1")], nextCursor: "c2" })
          : json(200, { data: [webhook("int_2")], nextCursor: null }),
    });
    expect(await runCli(["webhook", "list", "--json"], ctx)).toBe(0);
    expect(JSON.parse(stdout.join("\n")).map((row: { id: string }) => row.id)).toEqual([
      "int_1",
      "int_2",
    ]);
    expect(api.requests.map((request) => request.query.get("kind"))).toEqual([
      "webhook",
      "webhook",
    ]);
  });
});

describe("webhook test", () => {
  test("a 2xx answer prints status, duration and outcome and exits 0", async () => {
    const { ctx, stdout, stderr, api } = withApi({
      "POST /api/admin/integrations/int_1/test": () => testAnswer(204),
    });
    expect(await runCli(["webhook", "test", "int_1"], ctx)).toBe(0);
    expect(stdout).toEqual(["succeeded: HTTP 204 in 42 ms (delivery dlv_1)"]);
    expect(stderr).toEqual([]);
    expect(api.requests[0]?.method).toBe("POST");
  });

  test("a 500 answer exits 1 with the first line of the response on stderr", async () => {
    const { ctx, stdout, stderr } = withApi({
      "POST /api/admin/integrations/int_1/test": () =>
        testAnswer(500, { error: "HTTP 500", responseBody: "\nInternal Server Error\nstack…" }),
    });
    expect(await runCli(["webhook", "test", "int_1"], ctx)).toBe(1);
    expect(stdout).toEqual(["failed: HTTP 500 in 42 ms (delivery dlv_1)"]);
    expect(stderr).toEqual([
      "error: the webhook answered HTTP 500",
      "  response: Internal Server Error",
    ]);
  });

  test("a 3xx is a failure (redirects are not followed); the server's reason is shown", async () => {
    const { ctx, stderr } = withApi({
      "POST /api/admin/integrations/int_1/test": () =>
        testAnswer(302, { error: "Redirect (302) not followed", responseBody: "" }),
    });
    expect(await runCli(["webhook", "test", "int_1"], ctx)).toBe(1);
    expect(stderr).toEqual(["error: the webhook answered HTTP 302 (Redirect (302) not followed)"]);
  });

  test("an unreachable receiver exits 1 with the transport error", async () => {
    const { ctx, stdout, stderr } = withApi({
      "POST /api/admin/integrations/int_1/test": () =>
        testAnswer(null, { error: "connection refused", durationMs: 3 }),
    });
    expect(await runCli(["webhook", "test", "int_1"], ctx)).toBe(1);
    expect(stdout).toEqual(["failed: no answer in 3 ms (delivery dlv_1)"]);
    expect(stderr).toEqual(["error: the webhook was not reached: connection refused"]);
  });

  test("a 410 says the webhook is now disabled", async () => {
    const { ctx, stderr } = withApi({
      "POST /api/admin/integrations/int_1/test": () => testAnswer(410, { responseBody: "" }),
    });
    expect(await runCli(["webhook", "test", "int_1"], ctx)).toBe(1);
    expect(stderr.join("\n")).toContain("disabled this webhook (gone)");
  });

  test("--json prints the answer and still exits by the attempt's status", async () => {
    const { ctx, stdout } = withApi({
      "POST /api/admin/integrations/int_1/test": () => testAnswer(503),
    });
    expect(await runCli(["webhook", "test", "int_1", "--json"], ctx)).toBe(1);
    expect(JSON.parse(stdout.join("\n"))).toMatchObject({ deliveryId: "dlv_1", status: "failed" });
  });

  test("an unknown webhook exits 1; a non-integration id is a usage error", async () => {
    const { ctx, stderr, api } = withApi({
      "POST /api/admin/integrations/int_9/test": () =>
        apiError(404, "NOT_FOUND", 'Webhook "int_9" not found', "req_404"),
    });
    expect(await runCli(["webhook", "test", "int_9"], ctx)).toBe(1);
    expect(stderr).toEqual(['error: Webhook "int_9" not found (NOT_FOUND, request req_404)']);
    expect(await runCli(["webhook", "test", "ch_1"], ctx)).toBe(2);
    expect(api.requests).toHaveLength(1);
  });
});

describe("webhook remove, enable, disable, rotate", () => {
  const get = (body: unknown) => () => json(200, body);

  test("remove deletes the webhook and prints its id", async () => {
    const { ctx, stdout, api } = withApi({
      "GET /api/admin/integrations/int_1": get(webhook("int_1")),
      "DELETE /api/admin/integrations/int_1": () => new Response(null, { status: 204 }),
    });
    expect(await runCli(["webhook", "remove", "int_1"], ctx)).toBe(0);
    expect(stdout).toEqual(["int_1"]);
    expect(api.requests.map((r) => r.method)).toEqual(["GET", "DELETE"]);
  });

  test("remove refuses a custom integration without deleting it", async () => {
    const { ctx, stdout, stderr, api } = withApi({
      "GET /api/admin/integrations/int_t": get({ id: "int_t", kind: "custom" }),
    });
    expect(await runCli(["webhook", "remove", "int_t"], ctx)).toBe(1);
    expect(stdout).toEqual([]);
    expect(stderr[0]).toContain("int_t is not a webhook");
    expect(api.requests.map((r) => r.method)).toEqual(["GET"]);
  });

  test("remove of an unknown id exits 1 with the server's message", async () => {
    const { ctx, stderr } = withApi({
      "GET /api/admin/integrations/int_9": () =>
        apiError(404, "NOT_FOUND", 'Integration "int_9" not found', "req_9"),
    });
    expect(await runCli(["webhook", "remove", "int_9"], ctx)).toBe(1);
    expect(stderr).toEqual(['error: Integration "int_9" not found (NOT_FOUND, request req_9)']);
  });

  test.each([
    ["enable", true],
    ["disable", false],
  ])("%s patches enabled=%p and prints the id", async (verb, enabled) => {
    const { ctx, stdout, api } = withApi({
      "GET /api/admin/integrations/int_1": get(webhook("int_1")),
      "PATCH /api/admin/integrations/int_1": () => json(200, webhook("int_1", { enabled })),
    });
    expect(await runCli(["webhook", verb as string, "int_1"], ctx)).toBe(0);
    expect(stdout).toEqual(["int_1"]);
    const patch = api.requests[1];
    expect(patch?.method).toBe("PATCH");
    expect(JSON.parse(patch?.body ?? "")).toEqual({ enabled });
  });

  test("rotate prints only the new signing secret", async () => {
    const { ctx, stdout, stderr, api } = withApi({
      "GET /api/admin/integrations/int_1": get(webhook("int_1")),
      "POST /api/admin/integrations/int_1/rotate": () => json(200, { signingSecret: SECRET }),
    });
    expect(await runCli(["webhook", "rotate", "int_1"], ctx)).toBe(0);
    expect(stdout).toEqual([SECRET]);
    expect(stderr.join("\n")).not.toContain(SECRET);
    expect(stderr.join("\n")).toContain("24 h");
    expect(api.requests[1]?.method).toBe("POST");
  });

  test("rotate never rotates a custom token", async () => {
    const { ctx, api } = withApi({
      "GET /api/admin/integrations/int_t": get({ id: "int_t", kind: "custom" }),
      "POST /api/admin/integrations/int_t/rotate": () => json(200, { token: "se_x" }),
    });
    expect(await runCli(["webhook", "rotate", "int_t"], ctx)).toBe(1);
    expect(api.requests.map((r) => r.method)).toEqual(["GET"]);
  });
});

describe("webhook help", () => {
  test("the program help lists every webhook command", async () => {
    const { ctx, stdout } = captureContext();
    expect(await runCli(["help"], ctx)).toBe(0);
    const text = stdout.join("\n");
    for (const verb of ["add", "list", "test", "remove", "enable", "disable", "rotate"]) {
      expect(text).toContain(`webhook ${verb}`);
    }
  });

  test("webhook add --help shows the synopsis of README.md#admin-api-and-cli", async () => {
    const { ctx, stdout } = captureContext();
    expect(await runCli(["webhook", "add", "--help"], ctx)).toBe(0);
    expect(stdout[0]).toBe(
      "usage: sendeasy webhook add --url U --name N [--channel ch_…] [--bearer B] [--events a,b] [--json] [--company co_…]",
    );
  });

  test("webhook commands need the admin key", async () => {
    const { ctx, stderr } = captureContext({ adminKey: null });
    expect(await runCli(["webhook", "list"], ctx)).toBe(2);
    expect(stderr[0]).toContain("SENDEASY_ADMIN_KEY is not set");
  });
});
