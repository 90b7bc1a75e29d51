/**
 * Settings → Integrations in headless Chromium against a real server: the seed's five UI
 * steps, the secret shown once, rotation, test events, deliveries, disable and delete.
 * The steps build on each other, in order, on one signed-in page.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import {
  browserSkipReason,
  launchBrowser,
  type Received,
  screenshot,
  signIn,
  startReceiver,
} from "../../support/browser.ts";
import {
  ADDRESSES,
  OPERATOR_KEY,
  SEED,
  startTestServer,
  type TestServer,
} from "../../support/test_server.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
/** A browser step takes a few seconds; the default 5 s is too tight on a slow CI machine. */
const STEP_TIMEOUT_MS = 30_000;

describe.skipIf(browserSkipReason !== null)("Settings → Integrations in a browser", () => {
  let offsetMs = 0;
  let t: TestServer;
  let receiver: { url: string; received: Received[]; stop(): void };
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const channels: Record<string, string> = {};
  const state: { token?: string; customId?: string; generalId?: string } = {};

  beforeAll(async () => {
    t = await startTestServer(
      { SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true" },
      { start: { clock: { now: () => Date.now() + offsetMs } } },
    );
    receiver = startReceiver();
    channels.sms = (await t.channel({ type: "sms", address: ADDRESSES.sms, name: "SMS main" })).id;
    channels.smsSupport = (
      await t.channel({ type: "sms", address: "+5511955556666", name: "SMS support" })
    ).id;
    channels.whatsapp = (
      await t.channel({ type: "whatsapp", address: ADDRESSES.whatsapp, name: "WhatsApp sales" })
    ).id;
    channels.email = (
      await t.channel({ type: "email", address: ADDRESSES.email, name: "Orders" })
    ).id;
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: t.url });
    page = await context.newPage();
    // Room for the server start and up to three Chromium launches on a cold, busy machine.
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    receiver?.stop();
    await t?.close();
  }, STEP_TIMEOUT_MS);

  test(
    "a wrong admin key shows an error and sets no cookie; the right one signs in",
    async () => {
      await page.goto(`${t.url}/settings/integrations`);
      expect(new URL(page.url()).pathname).toBe("/settings/sign-in");
      await page.getByLabel("Admin key").fill("sk_not-the-right-key-at-all");
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByRole("alert").textContent()).resolves.toContain("not valid");
      expect(await context.cookies()).toEqual([]);

      await signIn(page, t.url, OPERATOR_KEY);
      expect(new URL(page.url()).pathname).toBe("/settings/integrations");
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Integrations");
      const cookies = await context.cookies();
      expect(cookies.map((c) => c.name)).toEqual(["sendeasy_session"]);
      const session = cookies[0]!;
      expect(session.httpOnly).toBe(true);
      expect(session.sameSite).toBe("Strict");
      expect(session.path).toBe("/settings");
      expect(session.value).not.toContain(OPERATOR_KEY);
      expect(await page.evaluate(() => document.cookie)).toBe("");
    },
    STEP_TIMEOUT_MS,
  );

  test(
    "New integration → Webhook → General (all channels) → URL creates a general webhook",
    async () => {
      await page.getByRole("link", { name: "New integration" }).click();
      // Progressive steps: nothing after the kind shows until a kind is chosen.
      expect(await page.locator("#scope-general").isVisible()).toBe(false);
      await page.getByLabel("Name", { exact: true }).fill("CRM (all channels)");
      await page.check("#kind-webhook");
      await page.check("#scope-general");
      expect(await page.locator("#channelId").isVisible()).toBe(false);
      await page.getByLabel("URL", { exact: true }).fill(`${receiver.url}/general`);
      await page.getByRole("button", { name: "Create integration" }).click();

      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(
        "CRM (all channels)",
      );
      expect(await page.locator(".props").textContent()).toContain("General (all channels)");
      expect(await page.locator("#revealed-secret").inputValue()).toMatch(/^whsec_/);
      state.generalId = page.url().split("/").pop()!;
      const stored = await t.admin("GET", `/integrations/${state.generalId}`);
      expect(stored.body).toMatchObject({ kind: "webhook", scope: "general", channelId: null });
    },
    STEP_TIMEOUT_MS,
  );

  test(
    "Specific channel → type → instance offers only that type's channels",
    async () => {
      await page.goto(`${t.url}/settings/integrations/new`);
      await page.getByLabel("Name", { exact: true }).fill("SMS status");
      await page.check("#kind-webhook");
      await page.check("#scope-channel");
      expect(await page.locator("#channelId").isDisabled()).toBe(true);
      await page.check("#type-sms");
      const offered = await page
        .locator("#channelId option:not([hidden])")
        .evaluateAll((options) =>
          options.map((o) => (o as HTMLOptionElement).value).filter(Boolean),
        );
      expect(offered.sort()).toEqual([channels.sms!, channels.smsSupport!].sort());
      await page
        .getByLabel("Instance", { exact: true })
        .selectOption({ label: `SMS main — ${ADDRESSES.sms}` });
      await page.getByLabel("URL", { exact: true }).fill(`${receiver.url}/sms`);
      await page.getByLabel("Bearer token (optional)").fill("receiver-secret-123");
      await screenshot(page, "new-form");
      await page.getByRole("button", { name: "Create integration" }).click();

      const props = await page.locator(".props").textContent();
      expect(props).toContain(`SMS · SMS main (${ADDRESSES.sms})`);
      expect(props).toContain("Set (sent in the Authorization header)");
      const id = page.url().split("/").pop()!;
      const stored = await t.admin("GET", `/integrations/${id}`);
      expect(stored.body).toMatchObject({
        scope: "channel",
        channelId: channels.sms,
        hasBearerToken: true,
      });
    },
    STEP_TIMEOUT_MS,
  );

  test(
    "a custom token is shown once with a copy button, gone after a reload, and sends",
    async () => {
      await page.goto(`${t.url}/settings/integrations/new`);
      await page.getByLabel("Name", { exact: true }).fill("Checkout app");
      await page.check("#kind-custom");
      expect(await page.getByText("shown only once").isVisible()).toBe(true);
      expect(await page.getByLabel("URL", { exact: true }).isVisible()).toBe(false);
      await page.check("#type-whatsapp");
      await page.getByLabel("Instance", { exact: true }).selectOption(channels.whatsapp!);
      await page.getByRole("button", { name: "Create integration" }).click();

      const token = await page.locator("#revealed-secret").inputValue();
      expect(token).toMatch(/^se_[0-9A-Za-z]{43,}$/);
      expect(await page.locator("[data-reveal]").textContent()).toContain(
        "This is the only time Sendeasy shows this token",
      );
      await page.getByRole("button", { name: "Copy" }).click();
      await page.getByRole("button", { name: "Copied" }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
      await screenshot(page, "token-once");

      await page.reload();
      expect(await page.locator("#revealed-secret").count()).toBe(0);
      expect(await page.content()).not.toContain(token);
      expect(await page.locator(".props").textContent()).toContain(token.slice(0, 11));

      const sent = await t.send(token, SEED.whatsapp);
      expect(sent.status).toBe(200);
      state.token = token;
      state.customId = page.url().split("/").pop()!;
    },
    STEP_TIMEOUT_MS,
  );

  test(
    "rotating the token shows the new one once; the old one is refused over the API",
    async () => {
      await page.getByRole("link", { name: "Rotate token…" }).click();
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toContain(
        "Rotate the token",
      );
      await page.getByRole("button", { name: "Rotate token" }).click();
      const rotated = await page.locator("#revealed-secret").inputValue();
      expect(rotated).toMatch(/^se_/);
      expect(rotated).not.toBe(state.token);

      expect((await t.send(state.token!, SEED.whatsapp)).status).toBe(401);
      expect((await t.send(rotated, SEED.whatsapp)).status).toBe(200);
    },
    STEP_TIMEOUT_MS,
  );

  test(
    "Send test event shows the attempt and the delivery in the webhook's recent deliveries",
    async () => {
      await page.goto(`${t.url}/settings/integrations/${state.generalId}`);
      await page.getByRole("button", { name: "Send test event" }).click();
      expect(await page.getByRole("status").textContent()).toMatch(
        /Test event delivered: HTTP 200/,
      );
      const row = page.locator("[data-delivery]").first();
      expect(await row.locator(".badge").textContent()).toBe("succeeded");
      expect(await row.locator('[data-label="HTTP"]').textContent()).toBe("200");

      const got = receiver.received.filter((r) => r.path === "/general");
      expect(got.map((r) => r.body.type)).toContain("integration.test");
      expect(got[0]?.headers["webhook-signature"]).toMatch(/^v1,/);
      await screenshot(page, "webhook-detail");
    },
    STEP_TIMEOUT_MS,
  );

  test(
    "disable, then delete with confirmation",
    async () => {
      await page.getByRole("button", { name: "Disable" }).click();
      expect(await page.locator(".page-head .badge").first().textContent()).toBe("Disabled");
      expect((await t.admin("GET", `/integrations/${state.generalId}`)).body.enabled).toBe(false);
      await page.getByRole("button", { name: "Enable" }).waitFor();

      await page.getByRole("link", { name: "Delete…" }).click();
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(
        "Delete “CRM (all channels)”?",
      );
      await page.getByRole("button", { name: "Delete integration" }).click();
      expect(new URL(page.url()).pathname).toBe("/settings/integrations");
      expect(await page.getByRole("status").textContent()).toBe("Integration deleted.");
      expect(await page.locator("table.list").textContent()).not.toContain("CRM (all channels)");
      expect((await t.admin("GET", `/integrations/${state.generalId}`)).status).toBe(404);
    },
    STEP_TIMEOUT_MS,
  );

  test(
    "badges: a webhook disabled after a 410, and a token older than 90 days",
    async () => {
      const gone = await t.admin("POST", "/integrations", {
        kind: "webhook",
        name: "Old CRM",
        scope: "general",
        url: `${receiver.url}/gone`,
      });
      await page.goto(`${t.url}/settings/integrations/${gone.body.integration.id}`);
      await page.getByRole("button", { name: "Send test event" }).click();
      expect(await page.getByRole("alert").textContent()).toContain("HTTP 410");
      expect(await page.locator(".page-head").textContent()).toContain(
        "Disabled: endpoint answered 410 Gone",
      );

      offsetMs = 91 * DAY_MS;
      await page.goto(`${t.url}/settings/integrations`);
      // 91 days later the 8-hour session has long expired.
      expect(new URL(page.url()).pathname).toBe("/settings/sign-in");
      await signIn(page, t.url, OPERATOR_KEY);
      const custom = page.locator(`[data-integration="${state.customId}"]`);
      expect(await custom.textContent()).toContain("Token older than 90 days");
      await screenshot(page, "list");
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, "list-phone");
      await page.setViewportSize({ width: 1200, height: 900 });
    },
    STEP_TIMEOUT_MS,
  );

  test(
    "every control is labelled and the page works from the keyboard",
    async () => {
      await page.goto(`${t.url}/settings/integrations`);
      for (let i = 0; i < 15; i++) {
        await page.keyboard.press("Tab");
        const focused = await page.evaluate(() => document.activeElement?.textContent?.trim());
        if (focused === "New integration") break;
      }
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/settings\/integrations\/new$/);
      await page.focus("#kind-webhook");
      await page.keyboard.press("Space");
      expect(await page.locator("#scope-general").isVisible()).toBe(true);

      const unlabelled = await page.evaluate(() =>
        [...document.querySelectorAll("input, select, textarea, button")]
          .filter((el) => (el as HTMLInputElement).type !== "hidden")
          .filter((el) => {
            const labels = (el as HTMLInputElement).labels;
            const named = el.getAttribute("aria-label") || el.textContent?.trim();
            return (labels === null || labels.length === 0) && !(el.tagName === "BUTTON" && named);
          })
          .map((el) => el.outerHTML),
      );
      expect(unlabelled).toEqual([]);
    },
    STEP_TIMEOUT_MS,
  );
});
