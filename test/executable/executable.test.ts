/**
 * `bun run build` → one executable that runs alone: copied into an empty folder, it migrates,
 * serves (the settings page's assets, the SQLite writer thread) and sends through the sandbox,
 * with every step driven by its own CLI.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SEED } from "../support/test_server.ts";
import { builtExecutable, runExecutable, serveExecutable } from "./_executable.ts";

const OPERATOR_KEY = "executable-test-operator-key-0123";
const folder = mkdtempSync(join(tmpdir(), "sendeasy-alone-"));
const dataDir = mkdtempSync(join(tmpdir(), "sendeasy-alone-data-"));
const binary = join(folder, "sendeasy");
const env = { SENDEASY_DATA_DIR: dataDir, SENDEASY_ADMIN_KEY: OPERATOR_KEY };

beforeAll(async () => {
  copyFileSync(await builtExecutable(), binary);
}, 120_000);
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

test("the executable alone in a folder: migrate, serve, channel + token by its CLI, a sandbox send", async () => {
  expect(readdirSync(folder)).toEqual(["sendeasy"]);
  const migrated = await runExecutable(binary, folder, env, ["migrate"]);
  expect(migrated).toMatchObject({
    code: 0,
    stdout: [`SQLite database ${dataDir}/sendeasy.sqlite is up to date`],
  });

  const server = await serveExecutable(binary, folder, env);
  try {
    const cli = (...args: string[]) =>
      runExecutable(binary, folder, { ...env, SENDEASY_URL: server.url }, args);
    const channel = await cli(
      "channel",
      "add",
      "--type",
      "sms",
      "--address",
      "+5511933334444",
      "--name",
      "Alone",
    );
    expect(channel.code).toBe(0);
    const channelId = channel.stdout[0]!;
    expect(channelId).toMatch(/^ch_/);
    const created = await cli("token", "create", "--channel", channelId, "--name", "app");
    expect(created.code).toBe(0);
    const token = created.stdout.at(-1)!;
    const sent = await cli("send", "--token", token, "--json", JSON.stringify(SEED.sms));
    expect(sent.code).toBe(0);
    expect(JSON.parse(sent.stdout.join("\n"))).toMatchObject({ status: "sent", segments: 1 });

    const css = await fetch(`${server.url}/settings/assets/app.css`);
    expect(css.status).toBe(200);
    expect(await css.text()).toContain(":root");
    const js = await fetch(`${server.url}/settings/assets/app.js`);
    expect(await js.text()).toContain("Settings → Integrations");
    expect(server.output()).toContain('"worker":true');

    // Backup and restore from the same file, while it serves.
    const file = join(folder, "backup.db");
    const backup = await runExecutable(binary, folder, env, ["backup", "--out", file]);
    expect(backup.code).toBe(0);
    expect(backup.stdout[0]).toContain("integrity ok, with the secret key");
    const restoredDir = join(folder, "restored");
    const restored = await runExecutable(binary, folder, { SENDEASY_DATA_DIR: restoredDir }, [
      "restore",
      file,
    ]);
    expect(restored.code).toBe(0);
    expect(readdirSync(restoredDir).sort()).toEqual(["secret.key", "sendeasy.sqlite"]);
  } finally {
    expect(await server.stop()).toBe(0);
  }
  expect(server.output()).not.toContain("ENOENT");
  expect(server.output()).not.toContain("writer thread failed");
}, 60_000);
