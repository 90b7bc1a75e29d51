import { beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  expectedResult,
  type InstalledCore,
  installedCore,
  NODE,
  run,
  TSC,
} from "./_packed_core.ts";

// The installed tarball under plain Node 20 (no loader, no TypeScript), under Bun, and under
// `tsc` with `module: nodenext` as a TypeScript consumer on Node compiles it.
let core: InstalledCore;
let expected: unknown;
beforeAll(async () => {
  core = await installedCore();
  expected = await expectedResult();
}, 120_000);

const PRINT_RESULT =
  'import { run } from "./consumer.mjs"; console.log(JSON.stringify(await run()));';

describe("@sendeasy/core installed from its tarball", () => {
  test("runs under plain Node 20 and gives what the sources give", () => {
    expect(run([NODE, "--version"], { cwd: core.consumer }).stdout).toMatch(/^v20\./);
    const { stdout } = run([NODE, "--input-type=module", "-e", PRINT_RESULT], {
      cwd: core.consumer,
    });
    expect(JSON.parse(stdout)).toEqual(expected);
  }, 60_000);

  test("runs under Bun from node_modules and gives what the sources give", () => {
    writeFileSync(join(core.consumer, "print_result.mjs"), PRINT_RESULT);
    const { stdout } = run(["bun", "print_result.mjs"], { cwd: core.consumer });
    expect(JSON.parse(stdout)).toEqual(expected);
  }, 60_000);

  test("type-checks a strict nodenext consumer with 0 errors, declarations included", () => {
    writeFileSync(
      join(core.consumer, "consumer.ts"),
      [
        'import { type PayloadResult, type TokenStore, resolveToken, validateSendPayload, verifyWebhookRequest } from "@sendeasy/core";',
        'const result: PayloadResult = validateSendPayload("sms", { to: "+5511999999999", body: "hi" });',
        "const store: TokenStore = { findTokenByHash: async () => null };",
        'const resolution = await resolveToken("Bearer se_x", { store, now: 0 });',
        'const verified = await verifyWebhookRequest({ "webhook-id": "evt_1" }, "{}", { secret: "whsec_x", now: 0 });',
        'export const seen: string[] = [String(result.ok), resolution.ok ? "" : resolution.code, verified.ok ? verified.event.type : verified.code];',
        // Proves the declarations were found: with `any` types this directive would be unused.
        "// @ts-expect-error: fax is no channel type",
        'validateSendPayload("fax", {});',
      ].join("\n"),
    );
    writeFileSync(
      join(core.consumer, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "nodenext",
          moduleResolution: "nodenext",
          target: "ES2022",
          // No DOM and no Node types: the declarations must need neither.
          lib: ["ES2022"],
          types: [],
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          skipLibCheck: false,
          noEmit: true,
        },
        files: ["consumer.ts"],
      }),
    );
    const tsc = Bun.spawnSync([TSC, "-p", ".", "--pretty", "false"], { cwd: core.consumer });
    expect(tsc.stdout.toString() + tsc.stderr.toString()).toBe("");
    expect(tsc.exitCode).toBe(0);
  }, 60_000);
});
