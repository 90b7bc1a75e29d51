/**
 * `/docs` loads nothing from another origin at run time and runs no script, under a CSP that
 * would block it if it tried; the reference lists every public route.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { browserSkipReason, launchBrowser, screenshot } from "../../support/browser.ts";
import { startTestServer, type TestServer } from "../../support/test_server.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

describe("/docs over HTTP", () => {
  test("is a plain page: no script, no other origin, a CSP allowing only this server", async () => {
    const res = await fetch(`${t.url}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/https?:|\*/);
    const page = await res.text();
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/(?:src|href)="(?:https?:)?\/\//i);
    for (const route of [
      "/api/integration/generic",
      "/api/admin/channels",
      "/api/admin/keys/rotate",
    ]) {
      expect(page).toContain(route);
    }
    expect((await fetch(`${t.url}/docs/json`)).status).toBe(200);
    expect((await fetch(`${t.url}/docs/style.css`)).headers.get("content-type")).toContain(
      "text/css",
    );
  });
});

describe.skipIf(browserSkipReason !== null)("/docs in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  }, 60_000);
  afterAll(() => browser?.close());

  test("every request the page makes goes to this server, and nothing is blocked", async () => {
    const page = await browser.newPage();
    const requested: string[] = [];
    const problems: string[] = [];
    page.on("request", (request) => requested.push(request.url()));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    await page.goto(`${t.url}/docs`, { waitUntil: "networkidle" });
    expect(await page.locator("h1").textContent()).toContain("Sendeasy");
    await screenshot(page, "docs");
    const origin = new URL(t.url).origin;
    expect(requested.length).toBeGreaterThan(1);
    for (const url of requested) expect(new URL(url).origin).toBe(origin);
    expect(problems.join("\n")).toBe("");
    await page.close();
  }, 60_000);
});
