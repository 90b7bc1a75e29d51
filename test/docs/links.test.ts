/**
 * Every relative link in README.md and docs/*.md leads somewhere: the file exists and, for a
 * Markdown file, so does the heading its `#anchor` names.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { anchorsOf, linkTargets, proseLines } from "./_markdown.ts";

const REPO = join(import.meta.dir, "..", "..");
const FILES = [
  join(REPO, "README.md"),
  ...readdirSync(join(REPO, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => join(REPO, "docs", name)),
];

/** Why a link does not resolve, or null when it does. */
function brokenLink(from: string, target: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return null; // http:, https:, mailto:
  const [path = "", anchor] = target.split("#", 2);
  const file = path === "" ? from : resolve(dirname(from), decodeURI(path));
  if (!existsSync(file)) return `no file ${relative(REPO, file)}`;
  if (anchor === undefined || !file.endsWith(".md")) return null;
  return anchorsOf(file).has(anchor) ? null : `no heading #${anchor} in ${relative(REPO, file)}`;
}

describe("links in the documentation", () => {
  test("the docs exist and the README links them", () => {
    for (const page of [
      "README.md",
      "api.md",
      "architecture.md",
      "providers.md",
      "configuration.md",
    ])
      expect(existsSync(join(REPO, "docs", page))).toBe(true);
    expect(readFileSync(join(REPO, "README.md"), "utf8").includes("(docs/README.md)")).toBe(true);
  });

  for (const file of FILES) {
    test(`every relative link in ${relative(REPO, file)} resolves`, () => {
      const broken: string[] = [];
      for (const { line, text } of proseLines(readFileSync(file, "utf8"))) {
        for (const target of linkTargets(text)) {
          const problem = brokenLink(file, target);
          if (problem !== null)
            broken.push(`${relative(REPO, file)}:${line} ${target}: ${problem}`);
        }
      }
      expect(broken).toEqual([]);
    });
  }
});
