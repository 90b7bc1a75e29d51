import { afterEach, describe, expect, test } from "bun:test";
import { runCli } from "../../cli/run_cli.ts";
import { captureContext } from "../support/capture_context.ts";
import {
  apiError,
  type FakeApi,
  type FakeApiOptions,
  json,
  startFakeApi,
} from "./fake_admin_api.ts";

const KEY = "sk_test_admin_key_0123456789";
const TOKEN = "se_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg";
// captureContext's clock reads 2026-06-01T00:00:00Z.
let api: FakeApi | undefined;

afterEach(() => {
  api?.stop();
  api = undefined;
});

function withApi(routes: FakeApiOptions["routes"], tokens: string[] = []) {
  api = startFakeApi({ adminKey: KEY, tokens, routes });
  return { api, ...captureContext({ baseUrl: api.url, adminKey: KEY }) };
}

const custom = (id: string, tokenCreatedAt: string, extra: Record<string, unknown> = {}) => ({
  id,
  kind: "custom",
  name: `App ${id}`,
  channelId: "ch_1",
  enabled: true,
  tokenPrefix: "se_AbCdEfGh",
  tokenCreatedAt,
  rotatedAt: null,
  lastUsedAt: null,
  expiresAt: null,
  tokenOld: false,
  createdAt: tokenCreatedAt,
  updatedAt: tokenCreatedAt,
  ...extra,
});

const LIST = [
  custom("int_old", "2026-02-01T00:00:00Z", { lastUsedAt: "2026-05-29T00:00:00Z" }),
  custom("int_new", "2026-05-29T00:00:00Z", { expiresAt: "2026-05-30T00:00:00Z" }),
  custom("int_edge", "2026-03-03T00:00:00Z", { enabled: false }),
  { id: "int_hook", kind: "webhook", name: "Hook", enabled: true },
];

describe("token create", () => {
  test("posts a custom integration and prints its id, then the token alone on the last line", async () => {
    const { ctx, stdout, stderr, api } = withApi({
      "POST /api/admin/integrations": () =>
        json(201, { integration: custom("int_1", "2026-06-01T00:00:00Z"), token: TOKEN }),
    });
    const argv = [
      "token",
      "create",
      "--channel",
      "ch_1",
      "--name",
      "Shop",
      "--expires-at",
      "2027-01-01",
    ];
    expect(await runCli(argv, ctx)).toBe(0);
    expect(stdout).toEqual(["int_1", TOKEN]);
    expect(stderr.join("\n")).not.toContain(TOKEN);
    expect(JSON.parse(api.requests[0]?.body ?? "")).toEqual({
      kind: "custom",
      name: "Shop",
      channelId: "ch_1",
      expiresAt: "2027-01-01T00:00:00.000Z",
    });
  });

  test("a bad --expires-at or --channel is a usage error and sends nothing", async () => {
    const { ctx, api } = withApi({});
    expect(
      await runCli(
        ["token", "create", "--channel", "ch_1", "--name", "S", "--expires-at", "soon"],
        ctx,
      ),
    ).toBe(2);
    expect(await runCli(["token", "create", "--channel", "co_1", "--name", "S"], ctx)).toBe(2);
    expect(api.requests).toEqual([]);
  });
});

describe("token list", () => {
  const routes = {
    "GET /api/admin/integrations": () => json(200, { data: LIST, nextCursor: null }),
  };

  test("asks for custom integrations and flags tokens older than 90 days in AGE", async () => {
    const { ctx, stdout, api } = withApi(routes);
    expect(await runCli(["token", "list"], ctx)).toBe(0);
    expect(api.requests[0]?.query.get("kind")).toBe("custom");
    expect(stdout).toEqual([
      "ID        NAME          CHANNEL  TOKEN         STATUS    LAST USED  EXPIRES     AGE",
      "int_old   App int_old   ch_1     se_AbCdEfGh…  active    3d ago     never       120d ⚠ rotate",
      "int_new   App int_new   ch_1     se_AbCdEfGh…  expired   never      2026-05-30  3d",
      "int_edge  App int_edge  ch_1     se_AbCdEfGh…  disabled  never      never       90d",
    ]);
  });

  test("--older-than 90d keeps tokens strictly older than 90 days; --json prints them as an array", async () => {
    const { ctx, stdout } = withApi(routes);
    expect(await runCli(["token", "list", "--older-than", "90d", "--json"], ctx)).toBe(0);
    expect(JSON.parse(stdout.join("\n")).map((row: { id: string }) => row.id)).toEqual(["int_old"]);
  });

  test("--older-than accepts hours and weeks", async () => {
    const { ctx, stdout } = withApi(routes);
    await runCli(["token", "list", "--older-than", "1w", "--json"], ctx);
    expect(JSON.parse(stdout.join("\n")).map((row: { id: string }) => row.id)).toEqual([
      "int_old",
      "int_edge",
    ]);
    stdout.length = 0;
    await runCli(["token", "list", "--older-than=48h", "--json"], ctx);
    expect(JSON.parse(stdout.join("\n"))).toHaveLength(3);
  });

  test("a malformed --older-than is a usage error before any request", async () => {
    const { ctx, stderr, api } = withApi(routes);
    expect(await runCli(["token", "list", "--older-than", "90"], ctx)).toBe(2);
    expect(stderr[0]).toContain("--older-than: expected a duration such as 90d");
    expect(api.requests).toEqual([]);
  });
});

describe("token rotate and revoke", () => {
  test("rotate prints only the new token", async () => {
    const { ctx, stdout, stderr, api } = withApi({
      "POST /api/admin/integrations/int_1/rotate": () => json(200, { token: TOKEN }),
    });
    expect(await runCli(["token", "rotate", "int_1"], ctx)).toBe(0);
    expect(stdout).toEqual([TOKEN]);
    expect(stderr.join("\n")).not.toContain(TOKEN);
    expect(api.requests[0]?.method).toBe("POST");
  });

  test("revoke prints the integration id", async () => {
    const { ctx, stdout } = withApi({
      "POST /api/admin/integrations/int_1/revoke": () =>
        json(200, custom("int_1", "2026-01-01T00:00:00Z")),
    });
    expect(await runCli(["token", "revoke", "int_1"], ctx)).toBe(0);
    expect(stdout).toEqual(["int_1"]);
  });

  test("a 404 exits 1 with the server's message", async () => {
    const { ctx, stdout, stderr } = withApi({
      "POST /api/admin/integrations/int_9/rotate": () =>
        apiError(404, "NOT_FOUND", "Integration not found", "req_404"),
    });
    expect(await runCli(["token", "rotate", "int_9"], ctx)).toBe(1);
    expect(stdout).toEqual([]);
    expect(stderr).toEqual(["error: Integration not found (NOT_FOUND, request req_404)"]);
  });
});

describe("send", () => {
  const ok = {
    id: "msg_1",
    status: "sent",
    channel: { id: "ch_1", type: "sms" },
    provider: "sandbox",
    segments: 1,
  };

  test("posts the JSON verbatim with the token and Idempotency-Key, and prints the response", async () => {
    const { ctx, stdout, api } = withApi({ "POST /api/integration/generic": () => json(200, ok) }, [
      TOKEN,
    ]);
    const body = '{"to":"+15551234567",   "message":"hi"}';
    const argv = ["send", "--token", TOKEN, "--json", body, "--idempotency-key", "order-42"];
    expect(await runCli(argv, ctx)).toBe(0);
    expect(JSON.parse(stdout.join("\n"))).toEqual(ok);
    const [request] = api.requests;
    expect(request?.body).toBe(body);
    expect(request?.headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers.get("content-type")).toBe("application/json");
    expect(request?.headers.get("idempotency-key")).toBe("order-42");
  });

  test("works without SENDEASY_ADMIN_KEY: the token is the credential", async () => {
    const { ctx } = withApi({ "POST /api/integration/generic": () => json(200, ok) }, [TOKEN]);
    ctx.adminKey = null;
    expect(await runCli(["send", "--token", TOKEN, "--json", "{}"], ctx)).toBe(0);
  });

  test("an error status exits 1 with the error line and the body on stderr, nothing on stdout", async () => {
    const error = {
      error: "VALIDATION_ERROR",
      message: "Invalid payload",
      details: [{ path: "/to", message: "is required" }],
      requestId: "req_s1",
    };
    const { ctx, stdout, stderr } = withApi(
      { "POST /api/integration/generic": () => json(400, error) },
      [TOKEN],
    );
    expect(await runCli(["send", "--token", TOKEN, "--json", '{"message":"hi"}'], ctx)).toBe(1);
    expect(stdout).toEqual([]);
    expect(stderr[0]).toBe("error: Invalid payload (VALIDATION_ERROR, request req_s1)");
    expect(stderr[1]).toBe("  /to: is required");
    expect(JSON.parse(stderr[2] ?? "")).toEqual(error);
    expect(stderr.join("\n")).not.toContain(TOKEN);
  });

  test("a wrong token exits 1 with the 401 message", async () => {
    const { ctx, stderr } = withApi({}, [TOKEN]);
    expect(await runCli(["send", "--token", "se_wrong", "--json", "{}"], ctx)).toBe(1);
    expect(stderr[0]).toBe(
      "error: Missing or invalid credentials (ERR_NO_PERMISSION, request req_denied)",
    );
  });
});
