import { afterAll, beforeAll, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { SEED, startTestServer, type TestServer } from "../support/test_server.ts";

let t: TestServer;
beforeAll(async () => {
  // No SENDEASY_ADMIN_KEY: the server generates the operator key and prints it once.
  t = await startTestServer({}, { generateAdminKey: true });
});
afterAll(() => t.close());

function databaseBytes(dataDir: string): Buffer {
  const files = readdirSync(dataDir).filter((f) => f.startsWith("sendeasy.sqlite"));
  expect(files).toContain("sendeasy.sqlite");
  return Buffer.concat(files.map((f) => readFileSync(join(dataDir, f))));
}

test("the generated operator key works and is printed once", async () => {
  expect(t.adminKey).toMatch(/^sk_[0-9A-Za-z]{43}$/);
  expect((await t.admin("GET", "/channels")).status).toBe(200);
  expect(t.server.generatedAdminKey).toBe(t.adminKey);
});

test("tokens, admin keys and provider secrets appear nowhere in the SQLite files", async () => {
  const secrets = {
    resendKey: "re_live_SECRET_resend_key_0123456789",
    twilioToken: "twilio_SECRET_auth_token_abcdef0123",
  };
  await t.channel({
    type: "email",
    provider: "resend",
    address: "news@shop.example",
    config: { apiKey: secrets.resendKey },
  });
  await t.channel({
    type: "sms",
    provider: "twilio",
    address: "+5511933334444",
    config: { accountSid: "AC123", authToken: secrets.twilioToken },
  });
  const sandbox = await t.channel({ type: "sms", address: "+5511933334444" });
  const custom = await t.token(sandbox.id);
  const rotated = await t.admin("POST", `/integrations/${custom.id}/rotate`);
  const company = await t.admin("POST", "/companies", { name: "Acme" });
  expect((await t.send(rotated.body.token, SEED.sms)).status).toBe(200);

  const bytes = databaseBytes(t.dataDir);
  for (const needle of [
    secrets.resendKey,
    secrets.twilioToken,
    custom.token,
    rotated.body.token,
    t.adminKey,
    company.body.adminKey,
  ]) {
    expect(needle.length).toBeGreaterThan(15);
    expect(bytes.includes(Buffer.from(needle))).toBe(false);
  }
  // The check can fail: a value stored in plain text is found.
  expect(bytes.includes(Buffer.from("news@shop.example"))).toBe(true);
  // The generated secret key file is private to its owner.
  expect(statSync(join(t.dataDir, "secret.key")).mode & 0o777).toBe(0o600);
});
