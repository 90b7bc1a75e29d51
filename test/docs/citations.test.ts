/**
 * Code cites only documents a reader of the repository can open: no file outside docs/ names
 * the project's old planning notes, and every `docs/….md#anchor` or `README.md#anchor` a
 * source file cites exists.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { anchorsOf } from "./_markdown.ts";

const REPO = join(import.meta.dir, "..", "..");
const SKIP = new Set([".git", "node_modules", "docs", "data", ".bench", "coverage", "dist"]);
// Spelled in pieces so that this file does not cite them itself.
const OUTSIDE = ["SPEC", "PROVIDERS", "STYLE"].map((name) => `${name}.md`);

function sourceFiles(directory: string, out: string[] = []): string[] {
  for (const name of readdirSync(directory)) {
    const path = join(directory, name);
    if (SKIP.has(name) || relative(REPO, path) === join("test", "artifacts")) continue;
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (/\.(ts|js|mjs|md|json|css|toml|yml|yaml)$/.test(name) && name !== "bun.lock")
      out.push(path);
  }
  return out;
}

const FILES = sourceFiles(REPO);

describe("citations", () => {
  test("no file outside docs/ cites a document that is not in the repository", () => {
    const found: string[] = [];
    for (const file of FILES) {
      const lines = readFileSync(file, "utf8").split("\n");
      for (const [index, line] of lines.entries()) {
        if (OUTSIDE.some((name) => line.includes(name)))
          found.push(`${relative(REPO, file)}:${index + 1}: ${line.trim()}`);
      }
    }
    expect(found).toEqual([]);
  });

  test("every docs/ or README section a source file cites exists", () => {
    const broken: string[] = [];
    const cited = /(?<![\w/.-])((?:docs\/|core\/)?[\w-]+\.md)(?:#([\w-]+))?/g;
    for (const file of FILES.filter((path) => path.endsWith(".ts"))) {
      for (const match of readFileSync(file, "utf8").matchAll(cited)) {
        const [text, target = "", anchor] = match;
        if (!/^(docs\/[\w-]+|README|core\/README)\.md$/.test(target)) continue;
        const path = join(REPO, target);
        if (!existsSync(path)) broken.push(`${relative(REPO, file)}: ${text}: no such file`);
        else if (anchor !== undefined && !anchorsOf(path).has(anchor))
          broken.push(`${relative(REPO, file)}: ${text}: no such section`);
      }
    }
    expect(broken).toEqual([]);
  });
});
