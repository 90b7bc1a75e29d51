/**
 * Headless Chromium for the settings page tests: Debian's `chromium` driven by
 * `playwright-core` (Playwright's own browser download cannot work here), a webhook receiver
 * on 127.0.0.1, and screenshots under `test/artifacts/`.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

const inCi = process.env.CI === "true" || process.env.CI === "1";

/**
 * Why the browser tests are skipped, or null when they run. Under CI they always run (and
 * fail loudly if the browser is missing: `.ci/run` installs it).
 */
export const browserSkipReason: string | null =
  existsSync(CHROMIUM) || inCi
    ? null
    : `${CHROMIUM} is missing: install it with "apt-get install -y chromium" to run the browser tests`;

if (browserSkipReason !== null)
  console.warn(`test/server/ui: skipping browser tests: ${browserSkipReason}`);

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
  // A small /dev/shm makes Chromium crash at start on some machines.
  "--disable-dev-shm-usage",
];

/**
 * Launches Chromium, trying again after a failed start: a cold start on a busy machine has
 * failed once in a while, and a failed launch would fail every browser test after it.
 */
export async function launchBrowser(): Promise<Browser> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      return await chromium.launch({
        executablePath: CHROMIUM,
        args: CHROMIUM_ARGS,
        timeout: 45_000,
      });
    } catch (error) {
      lastError = error;
      console.warn(
        `test/server/ui: Chromium launch ${attempt} failed: ${String(error).slice(0, 300)}`,
      );
    }
  }
  throw lastError;
}

const ARTIFACTS = join(import.meta.dir, "..", "artifacts");

/** Saves a full-page screenshot as `test/artifacts/ui-<name>.png` (every run). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `ui-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** One request a receiver got. */
export interface Received {
  path: string;
  headers: Record<string, string>;
  body: any;
}

/** A webhook destination on 127.0.0.1: `/gone` answers 410, anything else 200. */
export function startReceiver(): { url: string; received: Received[]; stop(): void } {
  const received: Received[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const path = new URL(request.url).pathname;
      const text = await request.text();
      received.push({
        path,
        headers: Object.fromEntries(request.headers),
        body: text === "" ? null : JSON.parse(text),
      });
      return new Response("ok", { status: path === "/gone" ? 410 : 200 });
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    received,
    stop: () => server.stop(true),
  };
}

/** Signs in through the form. */
export async function signIn(page: Page, baseUrl: string, key: string): Promise<void> {
  await page.goto(`${baseUrl}/settings/sign-in`);
  await page.getByLabel("Admin key").fill(key);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForLoadState("load");
}
