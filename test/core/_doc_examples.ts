/**
 * Finds every code example in core's docs and turns each into a module that can be
 * type-checked and run, the way `deno test --doc` does: a fenced `ts` block inside a JSDoc
 * comment of `core/**.ts` (and in `core/README.md`), with the file's exports imported for it
 * when it does not import them itself. A block fenced as `ts ignore` is skipped.
 *
 * One addition: a line `expression; // value` whose value is a literal (a number, string,
 * array, object, `true`, `false`, `null` or `undefined`) states what the expression gives, and
 * the run checks it (deep equality). Values with `…` are illustrations and are not checked.
 */
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { Glob } from "bun";
import { withValueChecks } from "./_doc_values.ts";

export const REPO = join(import.meta.dir, "..", "..");
export const CORE = join(REPO, "core");

/** One fenced block found in a doc comment or in core's README. */
export interface DocExample {
  /** Where the block's first code line is, e.g. `core/tokens.ts:52`. */
  where: string;
  /** Absolute path of the file it was found in. */
  file: string;
  /** Line (1-based) of the block's first code line in that file. */
  line: number;
  code: string[];
}

/** Every core source file, build output and dependencies left out. */
export function coreSources(): string[] {
  return [...new Glob("**/*.ts").scanSync(CORE)]
    .filter((path) => !path.startsWith("dist/") && !path.includes("node_modules/"))
    .filter((path) => !path.endsWith(".d.ts"))
    .sort()
    .map((path) => join(CORE, path));
}

const FENCE_OPEN = /^```(ts|typescript|js|javascript)\b(.*)$/;

/** The fenced blocks of some lines (blocks fenced `ts ignore` left out). */
function fencedBlocks(
  lines: readonly { text: string; line: number }[],
): { line: number; code: string[] }[] {
  const blocks: { line: number; code: string[]; ignored: boolean }[] = [];
  let current: (typeof blocks)[number] | null = null;
  for (const { text, line } of lines) {
    const trimmed = text.trim();
    if (current === null) {
      const open = FENCE_OPEN.exec(trimmed);
      if (open !== null)
        current = { line: line + 1, code: [], ignored: /\bignore\b/.test(open[2]!) };
    } else if (trimmed === "```") {
      blocks.push(current);
      current = null;
    } else {
      current.code.push(text);
    }
  }
  return blocks.filter((block) => !block.ignored);
}

/** The examples of one TypeScript file: fenced blocks inside its `/** … *\/` comments. */
function examplesOfSource(file: string): DocExample[] {
  const lines = readFileSync(file, "utf8").split("\n");
  const found: DocExample[] = [];
  let comment: { text: string; line: number }[] | null = null;
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (comment === null) {
      if (raw.trimStart().startsWith("/**")) comment = [];
      else return;
    }
    const closes = raw.includes("*/");
    // Strip the comment's leading ` * ` but keep the code's own indentation.
    const text = raw
      .replace(/^\s*\/\*\*\s?/, "")
      .replace(/\*\/.*$/, "")
      .replace(/^\s*\* ?/, "");
    comment.push({ text, line });
    if (closes) {
      for (const block of fencedBlocks(comment))
        found.push(exampleAt(file, block.line, block.code));
      comment = null;
    }
  });
  return found;
}

function examplesOfMarkdown(file: string): DocExample[] {
  const lines = readFileSync(file, "utf8")
    .split("\n")
    .map((text, index) => ({ text, line: index + 1 }));
  return fencedBlocks(lines).map((block) => exampleAt(file, block.line, block.code));
}

function exampleAt(file: string, line: number, code: string[]): DocExample {
  return { where: `${relative(REPO, file)}:${line}`, file, line, code };
}

/** Every example of core's docs, in file order. */
export function findDocExamples(): DocExample[] {
  return [
    ...coreSources().flatMap(examplesOfSource),
    ...examplesOfMarkdown(join(CORE, "README.md")),
  ];
}

/** Code without its comments and string contents, for finding declarations and exports. */
function codeOnly(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");
}

/** Names a module exports, split into values and type-only names (`export *` followed). */
export function exportedNames(
  file: string,
  seen: Set<string> = new Set(),
): { values: Set<string>; types: Set<string> } {
  const values = new Set<string>();
  const types = new Set<string>();
  if (seen.has(file)) return { values, types };
  seen.add(file);
  const source = codeOnly(readFileSync(file, "utf8"));
  for (const match of source.matchAll(
    /^export\s+(?:declare\s+)?(?:async\s+)?(function\*?|const|let|var|class|enum|interface|type)\s+(\w+)/gm,
  )) {
    const [, kind, name] = match as unknown as [string, string, string];
    (kind === "interface" || kind === "type" ? types : values).add(name);
  }
  for (const match of source.matchAll(/^export\s+(type\s+)?\{([^}]*)\}/gm)) {
    const allTypes = match[1] !== undefined;
    for (const entry of (match[2] ?? "").split(",")) {
      const parts = entry.trim().split(/\s+/);
      if (parts[0] === "") continue;
      const isType = allTypes || parts[0] === "type";
      const name = parts.at(-1)!;
      (isType ? types : values).add(name);
    }
  }
  for (const match of source.matchAll(/^export\s+(type\s+)?\*\s+from\s+"([^"]+)"/gm)) {
    const inner = exportedNames(join(dirname(file), match[2] ?? ""), seen);
    for (const name of inner.values) (match[1] === undefined ? values : types).add(name);
    for (const name of inner.types) types.add(name);
  }
  for (const name of values) types.delete(name);
  return { values, types };
}

/** Names a block declares or imports itself, which the auto-import must leave out. */
function namesDeclaredIn(code: string): Set<string> {
  const names = new Set<string>();
  const source = codeOnly(code);
  for (const match of source.matchAll(
    /\b(?:const|let|var|function|class|interface|type|enum)\s+(\w+)/g,
  )) {
    names.add(match[1] ?? "");
  }
  for (const match of source.matchAll(/\bimport\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const entry of (match[1] ?? "").split(",")) {
      const name = entry.trim().split(/\s+/).at(-1);
      if (name) names.add(name);
    }
  }
  return names;
}

/** A generated module and how its lines map back to the example. */
export interface GeneratedExample {
  example: DocExample;
  source: string;
  /** Lines before the example's first line. */
  headerLines: number;
  /** `false` when the example declares ambient context (`declare …`) it cannot run without. */
  runnable: boolean;
  /** How many `expression; // value` lines it checks. */
  checkedValues: number;
}

/**
 * The module of one example, written to live in `directory`: the file's exports it does not
 * import or declare itself, the shown-value checker, then its code.
 */
export function generateExample(example: DocExample, directory: string): GeneratedExample {
  const text = example.code.join("\n");
  const header: string[] = [];
  const importFrom = (path: string) => {
    const specifier = relative(directory, path);
    return specifier.startsWith(".") ? specifier : `./${specifier}`;
  };
  if (example.file.endsWith(".ts")) {
    const own = namesDeclaredIn(text);
    const { values, types } = exportedNames(example.file);
    const names = [
      ...[...values].filter((name) => !own.has(name)),
      ...[...types].filter((name) => !own.has(name)).map((name) => `type ${name}`),
    ];
    if (names.length > 0) {
      header.push(`import { ${names.join(", ")} } from "${importFrom(example.file)}";`);
    }
  }
  header.push(`import { __shows } from "${importFrom(join(import.meta.dir, "_doc_shows.ts"))}";`);
  // Relative imports mean the documented file's neighbours, as in `deno test --doc`.
  const code = example.code.map((line) =>
    line.replace(
      /(\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)(["'])(\.\.?\/[^"']+)\2/,
      (_all, before: string, quote: string, specifier: string) =>
        `${before}${quote}${importFrom(join(dirname(example.file), specifier))}${quote}`,
    ),
  );
  const lines = withValueChecks(
    code,
    (index) => `${relative(REPO, example.file)}:${example.line + index}`,
  );
  const checkedValues = lines.filter((line, index) => line !== code[index]).length;
  return {
    example,
    source: `${header.join("\n")}\n${lines.join("\n")}\nexport {};\n`,
    headerLines: header.length,
    runnable: !/^\s*declare\s/m.test(text),
    checkedValues,
  };
}
