import { beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  CORE,
  DENO,
  expectedResult,
  type InstalledCore,
  installedCore,
  run,
  SCRATCH,
} from "./_packed_core.ts";

// The installed tarball under Deno 2 (the `deno` npm package's binary), from node_modules as
// a Deno project with a package.json uses it; and the JSR config as `deno publish` reads it.
let core: InstalledCore;
let expected: unknown;
let env: Record<string, string>;
beforeAll(async () => {
  core = await installedCore();
  expected = await expectedResult();
  // Deno's own cache (npm packages, type-check results), kept between runs of this checkout.
  const denoDir = join(SCRATCH, "deno-cache");
  mkdirSync(denoDir, { recursive: true });
  env = { DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: "1" };
}, 120_000);

describe("@sendeasy/core under Deno 2", () => {
  test("is Deno 2", () => {
    expect(run([DENO, "--version"], { cwd: core.consumer, env }).stdout).toMatch(/^deno 2\./);
  }, 60_000);

  test("type-checks a TypeScript consumer against the declarations, and runs it", () => {
    writeFileSync(
      join(core.consumer, "deno_main.ts"),
      [
        'import { type PayloadResult, validateSendPayload } from "@sendeasy/core";',
        "// @ts-ignore: a plain JavaScript module without declarations",
        'import { run } from "./consumer.mjs";',
        'const checked: PayloadResult = validateSendPayload("sms", { to: "+5511999999999", body: "hi" });',
        "// @ts-expect-error: fax is no channel type (proves the declarations were read)",
        'validateSendPayload("fax", {});',
        "console.log(JSON.stringify({ checked: checked.ok, result: await run() }));",
      ].join("\n"),
    );
    run([DENO, "check", "deno_main.ts"], { cwd: core.consumer, env });
    const { stdout } = run([DENO, "run", "deno_main.ts"], { cwd: core.consumer, env });
    expect(JSON.parse(stdout)).toEqual({ checked: true, result: expected });
  }, 60_000);

  test("publishes to JSR from its sources: `deno publish --dry-run` accepts the package", () => {
    // TypeBox schemas are inferred types, which JSR calls slow types (it cannot derive .d.ts
    // for Node from them); Deno users type-check them as they are.
    const { stdout, stderr } = run(
      [DENO, "publish", "--dry-run", "--allow-dirty", "--allow-slow-types"],
      { cwd: CORE, env },
    );
    const output = stdout + stderr;
    expect(output).toContain("Dry run complete");
    expect(output).toContain("core/mod.ts");
    expect(output).not.toContain("core/dist/");
  }, 60_000);
});
