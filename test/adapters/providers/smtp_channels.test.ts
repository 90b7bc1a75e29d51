/**
 * SMTP channels as operators make them: through the admin API and the CLI, with JSON-typed
 * config values, the password sealed at rest and never shown, and the relay's host held to the
 * address check (at creation here; at every connection in smtp.test.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { runCli } from "../../../cli/run_cli.ts";
import { captureContext } from "../../support/capture_context.ts";
import { startTestServer, type TestServer } from "../../support/test_server.ts";

const ADDRESS = "orders@shop.example";
const PASSWORD = "smtp-password-f00d";

let open: TestServer;
let strict: TestServer;

beforeAll(async () => {
  open = await startTestServer({ SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true" });
  // Every name resolves to a private address on this one.
  strict = await startTestServer({}, { start: { lookup: async () => ["10.1.2.3"] } });
});
afterAll(async () => {
  await open.close();
  await strict.close();
});

const create = (server: TestServer, config: Record<string, unknown>) =>
  server.admin("POST", "/channels", {
    type: "email",
    provider: "smtp",
    address: ADDRESS,
    name: "Relay",
    config,
  });

describe("SMTP channels through the admin API", () => {
  test("config values keep their JSON types; the password is sealed and never echoed", async () => {
    const res = await create(open, {
      host: "127.0.0.1",
      port: 2525,
      security: "starttls",
      user: "relay-user",
      password: PASSWORD,
      heloName: "mail.shop.example",
    });
    expect(res.status).toBe(201);
    expect(res.body.config).toEqual({
      host: "127.0.0.1",
      port: 2525,
      security: "starttls",
      user: "relay-user",
      heloName: "mail.shop.example",
    });
    expect(res.body.secrets).toEqual(["password"]);
    const shown = await open.admin("GET", `/channels/${res.body.id}`);
    expect(JSON.stringify(shown.body)).not.toContain(PASSWORD);
    const row = open.db
      .query<{ config_sealed: string }, [string]>("SELECT config_sealed FROM channels WHERE id = ?")
      .get(res.body.id);
    expect(row?.config_sealed).toBeString();
    expect(row?.config_sealed).not.toContain(PASSWORD);
    expect(row?.config_sealed).not.toContain("relay-user");
  });

  test("a port that is not a number, an unknown security and a lone user are each named", async () => {
    const res = await create(open, {
      host: "127.0.0.1",
      port: "submission",
      security: "ssl",
      user: "relay-user",
    });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([
      { path: "/config/port", message: "must be a number" },
      { path: "/config/security", message: 'must be one of "tls", "starttls", "none", got "ssl"' },
      { path: "/config/password", message: "is required with user: user and password go together" },
    ]);
  });

  test("a host with a scheme or a port is refused with a hint", async () => {
    const res = await create(open, {
      host: "smtp://mail.example.com:587",
      port: 587,
      security: "starttls",
    });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([
      {
        path: "/config/host",
        message:
          "must be the relay's host name or IP address alone, e.g. smtp.example.com (no scheme, no port)",
      },
    ]);
  });

  test("a relay on a private address is refused unless private addresses are allowed", async () => {
    for (const host of ["127.0.0.1", "smtp.internal.example"]) {
      const res = await create(strict, { host, port: 587, security: "starttls" });
      expect(res.status).toBe(400);
      expect(res.body.details[0].path).toBe("/config/host");
      expect(res.body.details[0].message).toContain("SENDEASY_ALLOW_PRIVATE_WEBHOOKS");
    }
    const channel = await create(open, { host: "127.0.0.1", port: 587, security: "none" });
    expect(channel.status).toBe(201);
    const moved = await strict.admin("POST", "/channels", {
      type: "email",
      provider: "sandbox",
      address: ADDRESS,
      name: "Not SMTP",
    });
    expect(moved.status).toBe(201);
  });
});

describe("sendeasy channel add --provider smtp", () => {
  /** `channel add` of an SMTP e-mail channel with these `--config` pairs. */
  async function addSmtp(pairs: string[]) {
    const argv = ["channel", "add", "--type", "email", "--provider", "smtp"];
    argv.push("--address", ADDRESS, "--name", "Relay");
    for (const pair of pairs) argv.push("--config", pair);
    const captured = captureContext({
      baseUrl: open.url,
      adminKey: open.adminKey,
      now: () => Date.now(),
    });
    const code = await runCli(argv, captured.ctx);
    return { code, stdout: captured.stdout, stderr: captured.stderr };
  }

  test("--config values become JSON-typed: port is a number", async () => {
    const added = await addSmtp([
      "host=127.0.0.1",
      "port=2525",
      "security=none",
      "user=relay-user",
      `password=${PASSWORD}`,
    ]);
    expect(added.code).toBe(0);
    const id = added.stdout[0] ?? "";
    expect(id).toMatch(/^ch_/);
    const shown = await open.admin("GET", `/channels/${id}`);
    expect(shown.body.config).toEqual({
      host: "127.0.0.1",
      port: 2525,
      security: "none",
      user: "relay-user",
    });
    expect(shown.body.secrets).toEqual(["password"]);
  });

  test("a port that is not a number is refused by the server and creates nothing", async () => {
    const before = (await open.admin("GET", "/channels?limit=100")).body.data.length;
    const added = await addSmtp(["host=127.0.0.1", "port=submission", "security=none"]);
    expect(added.code).toBe(1);
    expect(added.stderr.join("\n")).toContain("/config/port: must be a number");
    expect((await open.admin("GET", "/channels?limit=100")).body.data.length).toBe(before);
  });
});
