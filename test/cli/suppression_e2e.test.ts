/**
 * `sendeasy suppression list|add|remove` against the real server (embedded SQLite in a temp
 * dir), through real sockets.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../cli/run_cli.ts";
import { type RunningServer, startServer } from "../../server/app.ts";
import { captureContext } from "../support/capture_context.ts";

const KEY = "sk_test_operator_key_0123456789";
let dataDir: string;
let server: RunningServer;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "sendeasy-cli-suppression-"));
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

async function cli(argv: string[]) {
  const captured = captureContext({ baseUrl: server.url, adminKey: KEY, now: () => Date.now() });
  const code = await runCli(argv, captured.ctx);
  return { code, stdout: captured.stdout, stderr: captured.stderr };
}

describe("sendeasy suppression", () => {
  test("add prints the id; list shows it (table and --json); remove takes it off", async () => {
    const added = await cli([
      "suppression",
      "add",
      "--type",
      "email",
      "--address",
      "Ana@Company.com",
    ]);
    expect(added.code).toBe(0);
    const id = added.stdout[0] ?? "";
    expect(id).toMatch(/^sup_/);
    const again = await cli([
      "suppression",
      "add",
      "--type",
      "email",
      "--address",
      "ana@company.com",
      "--reason",
      "complaint",
    ]);
    expect(again.stdout).toEqual([id]);

    const table = await cli(["suppression", "list", "--type", "email"]);
    expect(table.code).toBe(0);
    expect(table.stdout[0]).toMatch(/^ID\s+TYPE\s+ADDRESS\s+REASON\s+MESSAGE\s+CREATED/);
    expect(table.stdout.join("\n")).toContain(`${id}  email  ana@company.com  manual`);
    const json = await cli(["suppression", "list", "--address", "ANA@company.com", "--json"]);
    expect(JSON.parse(json.stdout.join("\n"))).toEqual([
      expect.objectContaining({ id, address: "ana@company.com", reason: "manual" }),
    ]);

    expect(await cli(["suppression", "remove", id])).toMatchObject({ code: 0, stdout: [id] });
    const gone = await cli(["suppression", "remove", id]);
    expect(gone.code).toBe(1);
    expect(gone.stderr.join("\n")).toContain("NOT_FOUND");
  });

  test("usage mistakes exit 2; a bad address is the server's 400, exit 1", async () => {
    expect((await cli(["suppression", "add", "--type", "fax", "--address", "x"])).code).toBe(2);
    expect(
      (
        await cli([
          "suppression",
          "add",
          "--type",
          "sms",
          "--address",
          "+15551234567",
          "--reason",
          "spam",
        ])
      ).code,
    ).toBe(2);
    expect((await cli(["suppression", "remove", "int_123"])).code).toBe(2);
    expect((await cli(["suppression", "list", "--type", "pager"])).code).toBe(2);
    const bad = await cli(["suppression", "add", "--type", "sms", "--address", "12"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.join("\n")).toContain("E.164");
  });

  test("channel add converts --config enforceWindow=false to a boolean", async () => {
    const added = await cli([
      "channel",
      "add",
      "--type",
      "whatsapp",
      "--address",
      "+5511911112222",
      "--name",
      "WA",
      "--config",
      "enforceWindow=false",
      "--json",
    ]);
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout.join("\n")).config).toEqual({ enforceWindow: false });
  });
});
