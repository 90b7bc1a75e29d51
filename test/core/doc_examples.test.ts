import { beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import {
  CORE,
  findDocExamples,
  type GeneratedExample,
  generateExample,
  REPO,
} from "./_doc_examples.ts";

// Every example in core's docs compiles against the code it documents, and those that need no
// outside context run, their shown values checked (see _doc_examples.ts for the rules).
const DIR = join(REPO, "test", "artifacts", "doc-examples");
const examples = findDocExamples();
const generated: GeneratedExample[] = examples.map((example) => generateExample(example, DIR));
const fileOf = (index: number) => join(DIR, `example_${String(index).padStart(3, "0")}.ts`);

beforeAll(() => {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  for (const [index, module] of generated.entries()) writeFileSync(fileOf(index), module.source);
  writeTsconfig(DIR);
});

/** Writes a tsconfig for a folder of generated examples, extending the repository's. */
function writeTsconfig(directory: string): void {
  writeFileSync(
    join(directory, "tsconfig.json"),
    JSON.stringify({
      extends: relative(directory, join(REPO, "tsconfig.json")),
      // Examples may import names they do not use, as the auto-import does.
      compilerOptions: { noUnusedLocals: false, noUnusedParameters: false },
      include: ["*.ts"],
      exclude: [],
    }),
  );
}

function typeCheck(directory: string): { exitCode: number; output: string } {
  const tsc = Bun.spawnSync(["bunx", "tsc", "--noEmit", "--pretty", "false", "-p", directory], {
    cwd: REPO,
  });
  return { exitCode: tsc.exitCode, output: tsc.stdout.toString() + tsc.stderr.toString() };
}

/** `tsc` diagnostics, each placed at the example line it is about. */
function typeErrors(output: string): string[] {
  return output
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const match = /example_(\d+)\.ts\((\d+),(\d+)\): (.*)$/.exec(line);
      if (match === null) return line;
      const module = generated[Number(match[1])]!;
      const offset = Number(match[2]) - module.headerLines - 1;
      const { example } = module;
      const inExample = offset >= 0 && offset < example.code.length;
      const where = inExample
        ? `${relative(REPO, example.file)}:${example.line + offset}`
        : `${example.where} (auto-import)`;
      return `${where}: ${match[4]}`;
    });
}

describe("core's doc examples", () => {
  test("are found in every documented part of core", () => {
    // The count only grows as docs gain examples; a broken extractor finds none.
    expect(examples.length).toBeGreaterThan(100);
    expect(generated.filter((module) => module.runnable).length).toBeGreaterThan(40);
    expect(generated.reduce((sum, module) => sum + module.checkedValues, 0)).toBeGreaterThan(40);
  });

  test("all type-check", () => {
    const { exitCode, output } = typeCheck(DIR);
    expect(typeErrors(output)).toEqual([]);
    expect(exitCode).toBe(0);
  }, 60_000);

  test("a wrong example fails: a type error is reported, a wrong shown value throws", async () => {
    const dir = join(REPO, "test", "artifacts", "doc-examples-selftest");
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeTsconfig(dir);
    const file = join(CORE, "sms_segments.ts");
    const wrongValue = generateExample(
      { where: "selftest", file, line: 1, code: ['countSmsSegments("hi").segments; // 2'] },
      dir,
    );
    const wrongType = generateExample(
      { where: "selftest", file, line: 1, code: ["countSmsSegments(42);"] },
      dir,
    );
    expect(wrongValue.checkedValues).toBe(1);
    writeFileSync(join(dir, "wrong_value.ts"), wrongValue.source);
    writeFileSync(join(dir, "wrong_type.ts"), wrongType.source);
    const { exitCode, output } = typeCheck(dir);
    expect(exitCode).not.toBe(0);
    expect(output).toContain("wrong_type.ts");
    expect(output).not.toContain("wrong_value.ts");
    await expect(import(join(dir, "wrong_value.ts"))).rejects.toThrow(
      "core/sms_segments.ts:1: the example shows 2, the code gives 1",
    );
  }, 60_000);

  const runnable = generated
    .map((module, index) => ({ module, index }))
    .filter(({ module }) => module.runnable);
  test.each(runnable.map(({ module, index }) => [module.example.where, index] as const))(
    "%s runs as written",
    async (_where, index) => {
      await import(fileOf(index));
    },
  );
});
