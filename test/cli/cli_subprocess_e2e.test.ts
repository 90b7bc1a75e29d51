/**
 * The CLI as an operator runs it: separate `bun cli/main.ts` processes against a real server.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { SEED, startTestServer, type TestServer } from "../support/test_server.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

const main = join(import.meta.dir, "../../cli/main.ts");

async function sendeasy(
  ...args: string[]
): Promise<{ code: number; stdout: string[]; stderr: string }> {
  const child = Bun.spawn(["bun", main, ...args], {
    env: { ...process.env, SENDEASY_URL: t.url, SENDEASY_ADMIN_KEY: t.adminKey },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { code, stdout: stdout.trimEnd().split("\n"), stderr };
}

test("channel add → token create → send → token rotate → the old token is refused", async () => {
  const channel = await sendeasy(
    "channel",
    "add",
    "--type",
    "sms",
    "--address",
    "+5511933334444",
    "--name",
    "SMS main",
  );
  expect(channel.code).toBe(0);
  const channelId = channel.stdout[0]!;
  expect(channelId).toMatch(/^ch_/);

  const created = await sendeasy("token", "create", "--channel", channelId, "--name", "my app");
  expect(created.code).toBe(0);
  const integrationId = created.stdout[0]!;
  const token = created.stdout.at(-1)!;
  expect(integrationId).toMatch(/^int_/);
  expect(token).toMatch(/^se_[0-9A-Za-z]{43,}$/);
  expect(created.stderr).not.toContain(token);

  const sent = await sendeasy("send", "--token", token, "--json", JSON.stringify(SEED.sms));
  expect(sent.code).toBe(0);
  expect(JSON.parse(sent.stdout.join("\n"))).toMatchObject({ status: "sent", segments: 1 });

  const listed = await sendeasy("token", "list", "--json");
  expect(listed.code).toBe(0);
  const rows = JSON.parse(listed.stdout.join("\n"));
  expect(rows.map((r: { id: string }) => r.id)).toContain(integrationId);
  expect(listed.stdout.join("\n")).not.toContain(token);

  const rotated = await sendeasy("token", "rotate", integrationId);
  expect(rotated.code).toBe(0);
  const next = rotated.stdout.at(-1)!;
  expect(next).toMatch(/^se_/);
  expect(next).not.toBe(token);

  const refused = await sendeasy("send", "--token", token, "--json", JSON.stringify(SEED.sms));
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain("ERR_NO_PERMISSION");
  expect((await sendeasy("send", "--token", next, "--json", JSON.stringify(SEED.sms))).code).toBe(
    0,
  );
});

test("usage errors exit 2 and server refusals exit 1", async () => {
  expect((await sendeasy("channel", "fly")).code).toBe(2);
  expect((await sendeasy("channel", "add", "--type", "sms")).code).toBe(2);
  const bad = await sendeasy("channel", "add", "--type", "sms", "--address", "123", "--name", "x");
  expect(bad.code).toBe(1);
  expect(bad.stderr).toContain("/address");
});
