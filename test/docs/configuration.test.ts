/** Every variable the server reads is in the configuration reference (docs/configuration.md). */
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

test("docs/configuration.md lists every SENDEASY_* variable of server/env.ts", () => {
  const readByServer = new Set(read("server/env.ts").match(/SENDEASY_[A-Z0-9_]+/g) ?? []);
  const documented = read("docs/configuration.md");
  expect(readByServer.size).toBeGreaterThan(10);
  const missing = [...readByServer].filter((name) => !documented.includes(`\`${name}\``));
  expect(missing).toEqual([]);
});
