import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { Glob } from "bun";

// docs/architecture.md#the-hexagon: core/ imports only TypeBox and its own files, and reads no clock or randomness.
const coreDir = resolve(import.meta.dir, "../../core");
// Sources only: `dist/` is the package's build output.
const files = [...new Glob("**/*.ts").scanSync(coreDir)]
  .filter((f) => !f.startsWith("dist/"))
  .map((f) => join(coreDir, f));

const importPattern =
  /(?:^|\s)(?:import|export)[^;'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/gm;
const impureCalls: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bDate\.now\s*\(/, "Date.now()"],
  [/\bnew Date\(\s*\)/, "new Date() without an argument"],
  [/\bMath\.random\s*\(/, "Math.random()"],
  [/\bgetRandomValues\s*\(/, "crypto.getRandomValues()"],
  [/\brandomUUID\s*\(/, "crypto.randomUUID()"],
  [/\bperformance\.now\s*\(/, "performance.now()"],
  [/\bBun\./, "Bun APIs"],
  [/\bprocess\./, "process"],
  [/\brequire\s*\(/, "require()"],
  [/\bfetch\s*\(/, "fetch()"],
];

/** Strips comments so JSDoc examples may mention anything. */
function code(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");
}

function isAllowedImport(file: string, specifier: string): boolean {
  if (specifier === "@sinclair/typebox" || specifier.startsWith("@sinclair/typebox/")) return true;
  if (!specifier.startsWith(".")) return false;
  const target = resolve(dirname(file), specifier);
  return !relative(coreDir, target).startsWith("..");
}

describe("core/ purity", () => {
  test("core/ has source files to check", () => {
    expect(files.length).toBeGreaterThan(5);
  });

  test("core/ imports only @sinclair/typebox and its own files", () => {
    const offenders: string[] = [];
    for (const file of files) {
      const source = code(readFileSync(file, "utf8"));
      for (const match of source.matchAll(importPattern)) {
        const specifier = match[1] ?? match[2] ?? "";
        if (!isAllowedImport(file, specifier))
          offenders.push(`${relative(coreDir, file)}: ${specifier}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  test("core/ reads no clock, randomness, runtime or network by itself", () => {
    const offenders: string[] = [];
    for (const file of files) {
      const source = code(readFileSync(file, "utf8"));
      for (const [pattern, what] of impureCalls) {
        if (pattern.test(source)) offenders.push(`${relative(coreDir, file)}: ${what}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  test("the checker itself rejects impure imports", () => {
    const file = join(coreDir, "tokens.ts");
    expect(isAllowedImport(file, "node:crypto")).toBe(false);
    expect(isAllowedImport(file, "bun:sqlite")).toBe(false);
    expect(isAllowedImport(file, "../adapters/store/sqlite/mod.ts")).toBe(false);
    expect(isAllowedImport(file, "elysia")).toBe(false);
    expect(isAllowedImport(file, "./ports/clock.ts")).toBe(true);
    expect(isAllowedImport(file, "@sinclair/typebox/compiler")).toBe(true);
    expect([...`import { x } from "node:fs";`.matchAll(importPattern)][0]?.[1]).toBe("node:fs");
  });
});
