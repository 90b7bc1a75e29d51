import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { browserSkipReason, launchBrowser } from "../support/browser.ts";
import { expectedResult, type InstalledCore, installedCore } from "./_packed_core.ts";

// The installed tarball bundled for the browser by an ordinary bundler (Bun's, browser
// target) and run in headless Chromium from a page on 127.0.0.1 (a secure context, as WebCrypto
// needs).
const describeBrowser = browserSkipReason === null ? describe : describe.skip;

let core: InstalledCore;
let expected: unknown;
let bundle: string;
let browser: Browser | undefined;
let server: ReturnType<typeof Bun.serve> | undefined;

beforeAll(async () => {
  core = await installedCore();
  expected = await expectedResult();
  const entry = join(core.consumer, "browser_entry.mjs");
  writeFileSync(
    entry,
    'import { run } from "./consumer.mjs";\nglobalThis.sendeasyResult = run();\n',
  );
  const built = await Bun.build({ entrypoints: [entry], target: "browser", format: "esm" });
  if (!built.success) throw new AggregateError(built.logs, "Cannot bundle the browser consumer");
  bundle = await built.outputs[0]!.text();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.stop(true);
});

describe("@sendeasy/core bundled for a browser", () => {
  test("the bundle holds the core and references no Node module and no Bun global", () => {
    expect(bundle).toContain("validateSendPayload");
    expect(bundle).toContain("TypeCompiler");
    expect(bundle.match(/["'`]node:[\w/]+/g) ?? []).toEqual([]);
    expect(bundle.match(/\bBun\b/g) ?? []).toEqual([]);
    expect(bundle.match(/\brequire\s*\(/g) ?? []).toEqual([]);
  });
});

describeBrowser("@sendeasy/core in headless Chromium", () => {
  test("runs and gives what the sources give", async () => {
    server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch(request) {
        if (new URL(request.url).pathname === "/bundle.js") {
          return new Response(bundle, { headers: { "content-type": "text/javascript" } });
        }
        const page =
          '<!doctype html><title>core</title><script type="module" src="/bundle.js"></script>';
        return new Response(page, { headers: { "content-type": "text/html" } });
      },
    });
    browser = await launchBrowser();
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    await page.goto(`http://127.0.0.1:${server.port}/`);
    await page.waitForFunction(() => "sendeasyResult" in globalThis, null, { timeout: 15_000 });
    const result = await page.evaluate(async () => {
      const pending = (globalThis as unknown as { sendeasyResult: Promise<unknown> })
        .sendeasyResult;
      return JSON.parse(JSON.stringify(await pending));
    });
    expect(errors).toEqual([]);
    expect(result).toEqual(expected);
  }, 60_000);
});
