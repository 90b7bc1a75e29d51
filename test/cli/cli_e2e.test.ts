/**
 * The CLI against the real server (`startServer` from server/app.ts, embedded SQLite in a temp
 * dir): every command the CLI has, end to end through real sockets.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../cli/run_cli.ts";
import { type RunningServer, startServer } from "../../server/app.ts";
import { runMigrations } from "../../server/migrate.ts";
import { captureContext } from "../support/capture_context.ts";

const ROOT = join(import.meta.dir, "..", "..");
const KEY = "sk_test_operator_key_0123456789";
let dataDir: string;
let server: RunningServer;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "sendeasy-cli-e2e-"));
  server = await startServer(
    {
      PORT: "0",
      HOST: "127.0.0.1",
      SENDEASY_DATA_DIR: dataDir,
      SENDEASY_ADMIN_KEY: KEY,
      SENDEASY_LOG_LEVEL: "silent",
    },
    { print: () => {}, logWrite: () => {} },
  );
});

afterAll(async () => {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs the CLI in-process against the real server; the clock is the real one. */
async function cli(argv: string[], adminKey: string | null = KEY) {
  const captured = captureContext({ baseUrl: server.url, adminKey, now: () => Date.now() });
  const code = await runCli(argv, captured.ctx);
  return { code, stdout: captured.stdout, stderr: captured.stderr };
}

async function addSmsChannel(name: string): Promise<string> {
  const added = await cli([
    "channel",
    "add",
    "--type",
    "sms",
    "--address",
    "+15551234567",
    "--name",
    name,
  ]);
  expect(added.code).toBe(0);
  return added.stdout[0] ?? "";
}

describe("sendeasy against the real server", () => {
  test("channel add prints the id (a sandbox channel has no callback URL); channel list shows it; remove removes it", async () => {
    const added = await cli([
      "channel",
      "add",
      "--type",
      "sms",
      "--address",
      "+15551234567",
      "--name",
      "Alerts",
      "--credits",
      "10",
    ]);
    expect(added.code).toBe(0);
    const id = added.stdout[0] ?? "";
    expect(id).toMatch(/^ch_/);
    expect(added.stdout).toEqual([id]);
    // The sandbox calls nothing back: no callback URL to paste anywhere.
    expect(added.stderr.join("\n")).not.toContain("/hooks/sandbox/");

    const listed = await cli(["channel", "list", "--json"]);
    const channel = JSON.parse(listed.stdout.join("\n")).find((c: { id: string }) => c.id === id);
    expect(channel).toMatchObject({
      type: "sms",
      provider: "sandbox",
      name: "Alerts",
      credits: 10,
    });

    expect((await cli(["channel", "remove", id])).code).toBe(0);
    const after = await cli(["channel", "list", "--json"]);
    expect(JSON.parse(after.stdout.join("\n")).map((c: { id: string }) => c.id)).not.toContain(id);
  });

  test("a validation error from the server exits 1 with its details", async () => {
    const result = await cli([
      "channel",
      "add",
      "--type",
      "sms",
      "--address",
      "not-a-number",
      "--name",
      "Bad",
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr[0]).toMatch(/^error: .+ \(VALIDATION_ERROR, request req_.+\)$/);
    expect(result.stderr.slice(1).join("\n")).toContain("/address");
  });

  test("token create → send → rotate (old token refused) → revoke (new token refused)", async () => {
    const channelId = await addSmsChannel("Tokens");
    const created = await cli(["token", "create", "--channel", channelId, "--name", "Shop"]);
    expect(created.code).toBe(0);
    const [integrationId, token] = created.stdout;
    expect(integrationId).toMatch(/^int_/);
    expect(token).toMatch(/^se_[0-9A-Za-z]{43,}$/);
    expect(created.stderr.join("\n")).not.toContain(token ?? "");

    const body = JSON.stringify({ to: "+15557654321", body: "hello from the CLI" });
    const sent = await cli(["send", "--token", token ?? "", "--json", body], null);
    expect(sent.code).toBe(0);
    expect(JSON.parse(sent.stdout.join("\n"))).toMatchObject({
      status: "sent",
      channel: { id: channelId, type: "sms" },
    });

    const listed = await cli(["token", "list", "--json"]);
    const row = JSON.parse(listed.stdout.join("\n")).find(
      (r: { id: string }) => r.id === integrationId,
    );
    expect(row).toMatchObject({ kind: "custom", channelId, tokenPrefix: token?.slice(0, 11) });

    const rotated = await cli(["token", "rotate", integrationId ?? ""]);
    expect(rotated.code).toBe(0);
    const newToken = rotated.stdout[0] ?? "";
    expect(newToken).not.toBe(token);
    const refused = await cli(["send", "--token", token ?? "", "--json", body], null);
    expect(refused.code).toBe(1);
    expect(refused.stderr[0]).toContain("ERR_NO_PERMISSION");
    expect((await cli(["send", "--token", newToken, "--json", body], null)).code).toBe(0);

    const revoked = await cli(["token", "revoke", integrationId ?? ""]);
    expect(revoked).toMatchObject({ code: 0, stdout: [integrationId] });
    expect((await cli(["send", "--token", newToken, "--json", body], null)).code).toBe(1);
  });

  test("token list shows a table with a fresh token's age and no rotate flag", async () => {
    const channelId = await addSmsChannel("Table");
    await cli(["token", "create", "--channel", channelId, "--name", "Fresh"]);
    const listed = await cli(["token", "list"]);
    expect(listed.stdout[0]).toMatch(
      /^ID\s+NAME\s+CHANNEL\s+TOKEN\s+STATUS\s+LAST USED\s+EXPIRES\s+AGE$/,
    );
    const fresh = listed.stdout.find((line) => line.includes("Fresh"));
    expect(fresh).toMatch(/active\s+never\s+never\s+0m$/);
    const old = await cli(["token", "list", "--older-than", "1d", "--json"]);
    expect(JSON.parse(old.stdout.join("\n"))).toEqual([]);
  });

  test("company create prints the id and its key; that key sees only its company", async () => {
    const created = await cli(["company", "create", "--name", "Acme"]);
    expect(created.code).toBe(0);
    const [companyId, companyKey] = created.stdout;
    expect(companyId).toMatch(/^co_/);
    const companies = await cli(["company", "list", "--json"]);
    expect(JSON.parse(companies.stdout.join("\n")).map((c: { id: string }) => c.id)).toContain(
      companyId,
    );

    const asOperator = await cli([
      "channel",
      "add",
      "--type",
      "email",
      "--address",
      "a@acme.test",
      "--name",
      "Mail",
      "--company",
      companyId ?? "",
    ]);
    expect(asOperator.code).toBe(0);
    const seen = await cli(["channel", "list", "--json"], companyKey ?? null);
    expect(JSON.parse(seen.stdout.join("\n")).map((c: { id: string }) => c.id)).toEqual([
      asOperator.stdout[0],
    ]);
  });

  test("a wrong admin key exits 1 with the 401 message", async () => {
    const result = await cli(["channel", "list"], "sk_not_the_right_key_at_all");
    expect(result.code).toBe(1);
    expect(result.stderr[0]).toMatch(/\(ERR_NO_PERMISSION, request req_/);
  });

  test("migrate applies migrations to a data dir and says so", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sendeasy-cli-migrate-"));
    try {
      const captured = captureContext({
        runMigrations: () => runMigrations({ SENDEASY_DATA_DIR: dir }),
      });
      expect(await runCli(["migrate"], captured.ctx)).toBe(0);
      expect(captured.stdout.join("\n")).toContain(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("as a subprocess, `token create … | tail -1` is a token the send endpoint accepts", async () => {
    const channelId = await addSmsChannel("Pipe");
    const env = { PATH: process.env.PATH ?? "", SENDEASY_URL: server.url, SENDEASY_ADMIN_KEY: KEY };
    const child = Bun.spawn(
      [
        process.execPath,
        "cli/main.ts",
        "token",
        "create",
        "--channel",
        channelId,
        "--name",
        "Pipe",
      ],
      {
        cwd: ROOT,
        env,
        stdout: "pipe",
        stderr: "pipe",
      },
    );
    const [stdout, code] = await Promise.all([new Response(child.stdout).text(), child.exited]);
    expect(code).toBe(0);
    const token = stdout.trimEnd().split("\n").at(-1) ?? "";
    const body = JSON.stringify({ to: "+15557654321", body: "piped" });
    expect((await cli(["send", "--token", token, "--json", body], null)).code).toBe(0);
  });
});
