/**
 * Channels of each real provider: created through the admin API and through the CLI exactly as
 * the README's "Providers" section writes it, with their config checked for shape and their
 * secrets never shown.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROVIDER_TIMEOUT_MS, PUBLIC_URL } from "../../support/provider_server.ts";
import { startTestServer, type TestServer } from "../../support/test_server.ts";

const ROOT = join(import.meta.dir, "../../..");

let t: TestServer;
beforeAll(async () => {
  // The README's SMTP relay (smtp.yourdomain.com) must resolve to a public address to be taken.
  t = await startTestServer(
    { SENDEASY_PUBLIC_URL: PUBLIC_URL, SENDEASY_PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS) },
    { start: { lookup: async () => ["93.184.216.34"] } },
  );
});
afterAll(() => t.close());

/** The shell blocks of the README's `## Providers` section. */
function readmeProviderBlocks(): string[] {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf("\n## Providers\n");
  expect(start).toBeGreaterThan(-1);
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!);
}

/** Runs a README block with bash, as an operator would, against the test server. */
async function runBlock(script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = Bun.spawn(
    ["bash", "-euo", "pipefail", "-c", script.replaceAll("http://localhost:3000", t.url)],
    {
      cwd: ROOT,
      env: { ...process.env, SENDEASY_URL: t.url, SENDEASY_ADMIN_KEY: t.adminKey },
      stdout: "pipe",
      stderr: "pipe",
    },
  );
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { code, stdout, stderr };
}

async function channels(): Promise<any[]> {
  return (await t.admin("GET", "/channels?limit=100")).body.data;
}

describe("the README's provider commands", () => {
  test("work as written and print each channel's public callback URL", async () => {
    const blocks = readmeProviderBlocks();
    expect(blocks.length).toBe(4);
    for (const block of blocks) {
      const run = await runBlock(block);
      expect({ block, code: run.code, stderr: run.stderr }).toMatchObject({ code: 0 });
      // SMTP has no callbacks, so the CLI prints no URL to paste.
      if (block.includes("--provider smtp")) {
        expect(run.stderr).not.toContain("callback URL");
        continue;
      }
      expect(run.stderr).toMatch(
        new RegExp(
          `callback URL \\(paste it into the provider's console\\): ${PUBLIC_URL}/hooks/(resend|twilio|meta)/ch_`,
        ),
      );
    }
    const created = await channels();
    const byName = (name: string) => created.find((c) => c.name === name);
    expect(byName("Orders")).toMatchObject({
      type: "email",
      provider: "resend",
      address: "orders@yourdomain.com",
      secrets: ["apiKey", "webhookSecret"],
    });
    expect(byName("SMS alerts")).toMatchObject({
      type: "sms",
      provider: "twilio",
      config: { accountSid: "AC0123456789abcdef0123456789abcdef" },
      secrets: ["authToken"],
    });
    expect(byName("WhatsApp (Twilio)")).toMatchObject({ type: "whatsapp", provider: "twilio" });
    expect(byName("Orders (SMTP)")).toMatchObject({
      type: "email",
      provider: "smtp",
      config: {
        host: "smtp.yourdomain.com",
        port: 587,
        security: "starttls",
        user: "orders@yourdomain.com",
      },
      secrets: ["password"],
    });
    expect(byName("WhatsApp (Meta)")).toMatchObject({
      type: "whatsapp",
      provider: "meta",
      config: { phoneNumberId: "106540352242922" },
      secrets: ["accessToken", "appSecret", "verifyToken"],
    });
    for (const channel of created) {
      expect(channel.callbackUrl).toBe(`${PUBLIC_URL}/hooks/${channel.provider}/${channel.id}`);
    }
  });
});

describe("provider config is checked for shape", () => {
  test("the admin API names every malformed value", async () => {
    const twilio = await t.admin("POST", "/channels", {
      type: "sms",
      provider: "twilio",
      address: "+15017122661",
      name: "bad",
      config: {
        accountSid: "SK0123456789abcdef0123456789abcdef",
        authToken: "has spaces in it",
        messagingServiceSid: "PN123",
        baseUrl: "api.twilio.com",
      },
    });
    expect(twilio.status).toBe(400);
    expect(twilio.body.details.map((d: { path: string }) => d.path).sort()).toEqual([
      "/config/accountSid",
      "/config/authToken",
      "/config/baseUrl",
      "/config/messagingServiceSid",
    ]);
    const resend = await t.admin("POST", "/channels", {
      type: "email",
      provider: "resend",
      address: "orders@yourdomain.com",
      name: "bad",
      config: { apiKey: "sk_live_123", webhookSecret: "not-a-whsec" },
    });
    expect(resend.body.details.map((d: { path: string }) => d.path)).toEqual([
      "/config/apiKey",
      "/config/webhookSecret",
    ]);
    const meta = await t.admin("POST", "/channels", {
      type: "whatsapp",
      provider: "meta",
      address: "+15550783881",
      name: "bad",
      config: { phoneNumberId: "+15550783881", accessToken: "EAAG", apiVersion: "23" },
    });
    expect(meta.body.details.map((d: { path: string }) => d.path)).toEqual([
      "/config/phoneNumberId",
      "/config/apiVersion",
    ]);
    expect(meta.body.details[0].message).toContain("phone number ID");
  });

  test("a missing required key is named once, not also as malformed", async () => {
    const res = await t.admin("POST", "/channels", {
      type: "sms",
      provider: "twilio",
      address: "+15017122661",
      name: "bad",
      config: { accountSid: "AC0123456789abcdef0123456789abcdef", authToken: "" },
    });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([
      { path: "/config/authToken", message: 'is required for provider "twilio"' },
    ]);
  });

  test("a patch is checked too, and a good one merges into the stored secrets", async () => {
    const created = await t.channel({
      type: "whatsapp",
      provider: "meta",
      address: "+15550783881",
      config: { phoneNumberId: "106540352242922", accessToken: "EAAGm0PX4ZCpsBA" },
    });
    const bad = await t.admin("PATCH", `/channels/${created.id}`, {
      config: { appSecret: "with space" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].path).toBe("/config/appSecret");
    const good = await t.admin("PATCH", `/channels/${created.id}`, {
      config: { appSecret: "9f86d081884c7d659a2feaa0c55ad015" },
    });
    expect(good.status).toBe(200);
    expect(good.body.secrets).toEqual(["accessToken", "appSecret"]);
  });

  test("the CLI reports a malformed value and exits 1", async () => {
    const run = await runBlock(
      "bun run --silent cli channel add --type sms --provider twilio --address +15017122661 --name x --config accountSid=SK1 --config authToken=t0ken",
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("config/accountSid");
  });
});
