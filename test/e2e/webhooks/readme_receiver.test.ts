/**
 * The README's webhook receiver, extracted from the README and run as written (only its port
 * changed), receives and verifies a real delivery.
 */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, startTestServer, type TestServer, waitFor } from "../../support/test_server.ts";

// Inside the project so the example's `standardwebhooks` import resolves from node_modules.
const dir = mkdtempSync(join(import.meta.dir, ".readme-receiver-"));
let child: ReturnType<typeof Bun.spawn> | undefined;
let t: TestServer | undefined;
afterAll(async () => {
  child?.kill();
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

function readmeReceiver(): string {
  const readme = readFileSync(join(import.meta.dir, "../../../README.md"), "utf8");
  const section = readme.slice(readme.indexOf("**Verify the signature**"));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (match === null) throw new Error("README has no receiver example");
  return match[1]!;
}

test("the README receiver verifies a delivery from a webhook added as the README says", async () => {
  t = await startTestServer({ SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true" });
  const port = freePort();
  const source = readmeReceiver();
  expect(source).toContain("port: 8080");
  const file = join(dir, "receiver.ts");
  writeFileSync(file, source.replace("port: 8080", `port: ${port}`));

  const created = await t.admin("POST", "/integrations", {
    kind: "webhook",
    name: "README receiver",
    scope: "general",
    url: `http://127.0.0.1:${port}/hooks/sendeasy`,
  });
  expect(created.status).toBe(201);
  child = Bun.spawn(["bun", file], {
    cwd: join(import.meta.dir, "../../.."),
    env: { ...process.env, SENDEASY_WEBHOOK_SECRET: created.body.signingSecret },
    stdout: "pipe",
    stderr: "pipe",
  });
  await waitFor(
    async () =>
      await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body: "{}" }).then(
        () => true,
        () => undefined,
      ),
    5000,
  );

  const tested = await t.admin("POST", `/integrations/${created.body.integration.id}/test`);
  expect(tested.body.attempt.statusCode).toBe(200);
  // With another secret, the same receiver refuses.
  child.kill();
  await child.exited;
  child = Bun.spawn(["bun", file], {
    cwd: join(import.meta.dir, "../../.."),
    env: { ...process.env, SENDEASY_WEBHOOK_SECRET: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" },
    stdout: "pipe",
    stderr: "pipe",
  });
  await waitFor(
    async () =>
      await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body: "{}" }).then(
        () => true,
        () => undefined,
      ),
    5000,
  );
  const refused = await t.admin("POST", `/integrations/${created.body.integration.id}/test`);
  expect(refused.body.attempt.statusCode).toBe(401);
});
