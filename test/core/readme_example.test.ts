import { expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
// The README's "Using the core" example, through the package's entry point.
import { signWebhook, validateSendPayload } from "@sendeasy/core";
import { Webhook } from "standardwebhooks";
import { generateExample, REPO } from "./_doc_examples.ts";

/** The first TypeScript block of the README's "Using the core" section. */
function readmeExample(): { code: string[]; line: number } {
  const lines = readFileSync(join(REPO, "README.md"), "utf8").split("\n");
  const section = lines.indexOf("## Using the core");
  const open = lines.indexOf("```ts", section);
  const close = lines.indexOf("```", open + 1);
  expect(section).toBeGreaterThan(-1);
  expect(open).toBeGreaterThan(section);
  return { code: lines.slice(open + 1, close), line: open + 2 };
}

test("the README's core example imports @sendeasy/core and runs as written, its values checked", async () => {
  const { code, line } = readmeExample();
  expect(code.join("\n")).toContain('from "@sendeasy/core"');
  const dir = join(REPO, "test", "artifacts", "readme-example");
  mkdirSync(dir, { recursive: true });
  const file = join(REPO, "README.md");
  const module = generateExample({ where: `README.md:${line}`, file, line, code }, dir);
  expect(module.checkedValues).toBeGreaterThanOrEqual(3);
  writeFileSync(join(dir, "example.ts"), module.source);
  await import(join(dir, "example.ts"));
});

test("what the README validates and signs, the reference Standard Webhooks library accepts", async () => {
  expect(validateSendPayload("sms", { to: "+5511999999999", body: "Your code: 123456" }).ok).toBe(
    true,
  );
  const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  const id = "evt_01J0000000000000000000000";
  const timestamp = Math.floor(Date.now() / 1000);
  const body = '{"type":"message.sent"}';
  const signature = await signWebhook({ id, timestamp, body }, [secret]);
  const headers = {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signature,
  };
  expect(new Webhook(secret).verify(body, headers)).toEqual({ type: "message.sent" });
});
