/**
 * The CLI as the README documents it never echoes a secret from its arguments: `bun run cli`
 * prints the command line (secrets included) to stderr, `bun run --silent cli` does not.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startTestServer, type TestServer } from "../support/test_server.ts";

const ROOT = join(import.meta.dir, "../..");
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

/** Runs `bun <args>` in the repository, as an operator would, against the test server. */
async function bun(args: string[], adminKey = t.adminKey) {
  const child = Bun.spawn(["bun", ...args], {
    cwd: ROOT,
    env: { ...process.env, SENDEASY_URL: t.url, SENDEASY_ADMIN_KEY: adminKey },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { code, stdout, stderr };
}

test("the README runs the CLI only as `bun run --silent cli` (or `sendeasy`)", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const runs = [...readme.matchAll(/bun run(?: --?[a-z-]+)* cli\b/g)].map((m) => m[0]);
  expect(runs.length).toBeGreaterThan(10);
  expect(runs.filter((run) => run !== "bun run --silent cli")).toEqual([]);
});

test("the documented invocation prints no secret from its arguments, and a new key only on stdout", async () => {
  const secret = "0123456789abcdef0123456789abcdef";
  const added = await bun([
    ...["run", "--silent", "cli", "channel", "add", "--type", "sms", "--provider", "twilio"],
    ...["--address", "+15017122661", "--name", "x"],
    ...[
      "--config",
      "accountSid=AC0123456789abcdef0123456789abcdef",
      "--config",
      `authToken=${secret}`,
    ],
  ]);
  expect(added.code).toBe(0);
  expect(added.stdout).toMatch(/^ch_/);
  expect(added.stdout + added.stderr).not.toContain(secret);

  const created = await t.admin("POST", "/companies", { name: "Acme" });
  const rotated = await bun(
    ["run", "--silent", "cli", "company", "key", "rotate"],
    created.body.adminKey,
  );
  expect(rotated.code).toBe(0);
  const newKey = rotated.stdout.trim();
  expect(newKey).toMatch(/^sk_/);
  expect(rotated.stderr).not.toContain(newKey);
  expect(rotated.stderr).not.toContain(created.body.adminKey);
});
