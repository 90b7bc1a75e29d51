import { afterEach, describe, expect, test } from "bun:test";
import { runCli } from "../../cli/run_cli.ts";
import { captureContext } from "../support/capture_context.ts";
import { type FakeApi, type FakeApiOptions, json, startFakeApi } from "./fake_admin_api.ts";

const KEY = "sk_test_admin_key_0123456789";
let api: FakeApi | undefined;

afterEach(() => {
  api?.stop();
  api = undefined;
});

function withApi(routes: FakeApiOptions["routes"], tokens: string[] = []) {
  api = startFakeApi({ adminKey: KEY, tokens, routes });
  return { api, ...captureContext({ baseUrl: api.url, adminKey: KEY }) };
}

describe("runCli() dispatch and help", () => {
  test("no command is a usage error on stderr with exit 2", async () => {
    const { ctx, stdout, stderr } = captureContext();
    expect(await runCli([], ctx)).toBe(2);
    expect(stdout).toEqual([]);
    expect(stderr[0]).toBe("error: missing command");
  });

  test.each([
    [["help"]],
    [["--help"]],
    [["-h"]],
    [["help", "token"]],
    [["token", "--help"]],
    [["token", "create", "--help"]],
    [["send", "-h"]],
  ])("%p prints help to stdout and exits 0", async (argv) => {
    const { ctx, stdout, stderr } = captureContext();
    expect(await runCli(argv, ctx)).toBe(0);
    expect(stdout.join("\n")).toContain("usage:");
    expect(stderr).toEqual([]);
  });

  test("command help lists every flag with its description", async () => {
    const { ctx, stdout } = captureContext();
    await runCli(["channel", "add", "--help"], ctx);
    const text = stdout.join("\n");
    expect(text).toContain(
      "usage: sendeasy channel add --type whatsapp|email|sms --address A --name N [--provider P] [--credits N] [--config key=value …]",
    );
    for (const flag of [
      "--type",
      "--provider",
      "--address",
      "--name",
      "--credits",
      "--config",
      "--json",
      "--company",
    ]) {
      expect(text).toContain(`  ${flag}`);
    }
  });

  test.each([
    [["bogus"]],
    [["token", "explode"]],
    [["token"]],
    [["help", "bogus"]],
    [["channel", "list", "--verbose"]],
  ])("%p is a usage error with exit 2", async (argv) => {
    const { ctx, stdout, stderr } = captureContext();
    expect(await runCli(argv, ctx)).toBe(2);
    expect(stdout).toEqual([]);
    expect(stderr[0]).toStartWith("error: ");
  });

  test("a missing required flag prints the command's usage line", async () => {
    const { ctx, stderr } = captureContext();
    expect(await runCli(["token", "create", "--name", "App"], ctx)).toBe(2);
    expect(stderr).toEqual([
      'error: missing required flag "--channel"',
      "usage: sendeasy token create --channel ch_… --name N [--expires-at ISO] [--json] [--company co_…]",
    ]);
  });

  test("admin commands refuse to run without SENDEASY_ADMIN_KEY, before any request", async () => {
    const { ctx, stderr } = withApi({});
    ctx.adminKey = null;
    expect(await runCli(["channel", "list"], ctx)).toBe(2);
    expect(stderr[0]).toContain("SENDEASY_ADMIN_KEY is not set");
    expect(api?.requests).toEqual([]);
  });

  test("serve starts the server through the context and exits 0", async () => {
    const { ctx, calls } = captureContext();
    expect(await runCli(["serve"], ctx)).toBe(0);
    expect(calls).toEqual(["startServer"]);
  });

  test("migrate prints what was applied; a failing migration exits 1 with its message", async () => {
    const ok = captureContext();
    expect(await runCli(["migrate"], ok.ctx)).toBe(0);
    expect(ok.stdout).toEqual(["SQLite database ./data/sendeasy.sqlite is up to date"]);
    const bad = captureContext({
      runMigrations: () => Promise.reject(new Error("Cannot migrate: disk full")),
    });
    expect(await runCli(["migrate"], bad.ctx)).toBe(1);
    expect(bad.stderr).toEqual(["error: Cannot migrate: disk full"]);
  });
});

describe("company commands", () => {
  test("create prints the id, then the admin key alone, and sends --company as Sendeasy-Company", async () => {
    const { ctx, stdout, stderr, api } = withApi({
      "POST /api/admin/companies": () =>
        json(201, {
          company: { id: "co_9", name: "Acme", createdAt: "2026-01-01T00:00:00Z" },
          adminKey: "sk_co_secret",
        }),
    });
    expect(await runCli(["company", "create", "--name", "Acme", "--company", "co_1"], ctx)).toBe(0);
    expect(stdout).toEqual(["co_9", "sk_co_secret"]);
    expect(stderr.join("\n")).not.toContain("sk_co_secret");
    expect(JSON.parse(api.requests[0]?.body ?? "")).toEqual({ name: "Acme" });
    expect(api.requests[0]?.headers.get("sendeasy-company")).toBe("co_1");
  });

  test("list prints a table of every page", async () => {
    const { ctx, stdout } = withApi({
      "GET /api/admin/companies": (r) =>
        r.query.get("cursor") === null
          ? json(200, {
              data: [{ id: "co_2", name: "Beta", createdAt: "2026-02-03T10:00:00Z" }],
              nextCursor: "co_2",
            })
          : json(200, {
              data: [{ id: "co_1", name: "Default", createdAt: "2026-01-01T00:00:00Z" }],
              nextCursor: null,
            }),
    });
    expect(await runCli(["company", "list"], ctx)).toBe(0);
    expect(stdout).toEqual([
      "ID    NAME     CREATED",
      "co_2  Beta     2026-02-03",
      "co_1  Default  2026-01-01",
    ]);
  });
});

describe("channel commands", () => {
  const view = {
    id: "ch_7",
    type: "sms",
    provider: "twilio",
    name: "Alerts",
    address: "+15551234567",
    credits: null,
    config: { accountSid: "AC1" },
    secrets: ["authToken"],
    callbackUrl: "http://localhost:3000/hooks/twilio/ch_7",
    createdAt: "2026-03-01T00:00:00Z",
  };

  test("add sends type, provider, address, name, credits and every --config pair", async () => {
    const { ctx, stdout, stderr, api } = withApi({
      "POST /api/admin/channels": () => json(201, view),
    });
    const argv = [
      "channel",
      "add",
      "--type",
      "sms",
      "--provider",
      "twilio",
      "--address",
      "+15551234567",
    ];
    argv.push(
      "--name",
      "Alerts",
      "--credits",
      "500",
      "--config",
      "accountSid=AC1",
      "--config",
      "authToken=t=k",
    );
    expect(await runCli(argv, ctx)).toBe(0);
    expect(JSON.parse(api.requests[0]?.body ?? "")).toEqual({
      type: "sms",
      provider: "twilio",
      address: "+15551234567",
      name: "Alerts",
      credits: 500,
      config: { accountSid: "AC1", authToken: "t=k" },
    });
    expect(stdout).toEqual(["ch_7"]);
    expect(stderr.join("\n")).toContain("http://localhost:3000/hooks/twilio/ch_7");
  });

  test("add defaults the provider to sandbox and omits credits and config when not given", async () => {
    const { ctx, api } = withApi({ "POST /api/admin/channels": () => json(201, view) });
    await runCli(
      ["channel", "add", "--type", "email", "--address", "a@b.test", "--name", "Mail"],
      ctx,
    );
    expect(JSON.parse(api.requests[0]?.body ?? "")).toEqual({
      type: "email",
      provider: "sandbox",
      address: "a@b.test",
      name: "Mail",
    });
  });

  test.each([
    [["--type", "fax"], "--type must be one of whatsapp, email, sms"],
    [["--type", "sms", "--credits", "-1"], "--credits must be a whole number"],
    [
      ["--type", "sms", "--config", "a=1", "--config", "a=2"],
      '--config key "a" is given more than once',
    ],
    [["--type", "sms", "--config", "novalue"], "--config expects key=value"],
  ])("add %p is a usage error and sends nothing", async (flags, message) => {
    const { ctx, stderr, api } = withApi({});
    expect(
      await runCli(["channel", "add", "--address", "+15551234567", "--name", "N", ...flags], ctx),
    ).toBe(2);
    expect(stderr[0]).toContain(message);
    expect(stderr[1]).toStartWith("usage: sendeasy channel add");
    expect(api.requests).toEqual([]);
  });

  test("add --json prints the server's response", async () => {
    const { ctx, stdout } = withApi({ "POST /api/admin/channels": () => json(201, view) });
    await runCli(
      ["channel", "add", "--type", "sms", "--address", "+1555", "--name", "N", "--json"],
      ctx,
    );
    expect(JSON.parse(stdout.join("\n"))).toEqual(view);
  });

  test("list shows unlimited credits and --json prints every item as one array", async () => {
    const { ctx, stdout } = withApi({
      "GET /api/admin/channels": () =>
        json(200, { data: [view, { ...view, id: "ch_6", credits: 20 }], nextCursor: null }),
    });
    await runCli(["channel", "list"], ctx);
    expect(stdout[0]).toBe("ID    TYPE  PROVIDER  NAME    ADDRESS       CREDITS    CREATED");
    expect(stdout[1]).toBe("ch_7  sms   twilio    Alerts  +15551234567  unlimited  2026-03-01");
    expect(stdout[2]).toContain("  20  ");
    stdout.length = 0;
    await runCli(["channel", "list", "--json"], ctx);
    expect(JSON.parse(stdout.join("\n")).map((c: { id: string }) => c.id)).toEqual([
      "ch_7",
      "ch_6",
    ]);
  });

  test("remove deletes by id and prints it; a non-channel id is a usage error", async () => {
    const { ctx, stdout, api } = withApi({
      "DELETE /api/admin/channels/ch_7": () => new Response(null, { status: 204 }),
    });
    expect(await runCli(["channel", "remove", "ch_7"], ctx)).toBe(0);
    expect(stdout).toEqual(["ch_7"]);
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "DELETE /api/admin/channels/ch_7",
    ]);
    expect(await runCli(["channel", "remove", "int_7"], ctx)).toBe(2);
    expect(api.requests).toHaveLength(1);
  });

  test("a server error exits 1 with message, code, request id and details on stderr", async () => {
    const { ctx, stdout, stderr } = withApi({
      "POST /api/admin/channels": () =>
        json(400, {
          error: "VALIDATION_ERROR",
          message: "The channel is invalid",
          details: [{ path: "/address", message: "must be an E.164 number" }],
          requestId: "req_v1",
        }),
    });
    expect(
      await runCli(["channel", "add", "--type", "sms", "--address", "x", "--name", "N"], ctx),
    ).toBe(1);
    expect(stdout).toEqual([]);
    expect(stderr).toEqual([
      "error: The channel is invalid (VALIDATION_ERROR, request req_v1)",
      "  /address: must be an E.164 number",
    ]);
  });
});
