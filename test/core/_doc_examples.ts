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

/** Where an `expression; // value` line's comment starts, outside any string; -1 if none. */
function trailingCommentAt(line: string): number {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quote !== null) {
      if (char === "\\") i++;
      else if (char === quote) quote = null;
    } else if (char === '"' || char === "'" || char === "`") {
      quote = char;
    } else if (char === "/" && line[i + 1] === "/") {
      return i;
    }
  }
  return -1;
}

/** Whether brackets balance on one line (strings aside): a statement complete in itself. */
function balanced(code: string): boolean {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < code.length; i++) {
    const char = code[i]!;
    if (quote !== null) {
      if (char === "\\") i++;
      else if (char === quote) quote = null;
    } else if (char === '"' || char === "'" || char === "`") quote = char;
    else if ("([{".includes(char)) depth++;
    else if (")]}".includes(char)) depth--;
    if (depth < 0) return false;
  }
  return depth === 0 && quote === null;
}

const LITERAL_START = /^(?:[[{"'`\d-]|true\b|false\b|null\b|undefined\b)/;
const NOT_AN_EXPRESSION =
  /^(?:const|let|var|if|for|while|return|throw|import|export|type|interface|declare|function|class|async\s+function)\b/;

/** Evaluates code in no scope at all: only a literal gives a value. */
function isLiteral(code: string): boolean {
  try {
    new Function(`"use strict"; return (${code}\n);`)();
    return true;
  } catch {
    return false;
  }
}

/**
 * The literal a value comment starts with, as code, or `null`: the longest prefix (cut at a
 * space) that is a literal without `…`, so `// false: not a public host` shows `false`.
 */
function shownValue(comment: string): string | null {
  const value = comment.trim();
  if (!LITERAL_START.test(value)) return null;
  const cuts = [value.length, ...[...value.matchAll(/\s/g)].map((m) => m.index).reverse()];
  for (const cut of cuts) {
    const candidate = value
      .slice(0, cut)
      .trim()
      .replace(/[,:;]$/, "");
    if (candidate !== "" && !/…|\.\.\./.test(candidate) && isLiteral(candidate)) return candidate;
  }
  return null;
}

/**
 * Rewrites each expression statement followed by a value comment (on its last line, or on the
 * comment lines right after it) into a check of that value. The lines stay where they were.
 */
function withValueChecks(code: string[], where: (index: number) => string): string[] {
  const out = [...code];
  const parts = code.map((line) => {
    const at = trailingCommentAt(line);
    return {
      code: (at === -1 ? line : line.slice(0, at)).trimEnd(),
      comment: at === -1 ? null : line.slice(at + 2),
    };
  });
  let start: number | null = null;
  let statement = "";
  parts.forEach((part, index) => {
    if (part.code.trim() === "") return;
    if (start === null) {
      start = index;
      statement = "";
    }
    statement += `${part.code}\n`;
    const text = statement.trim();
    if (!balanced(text)) return;
    if (!text.endsWith(";") && !text.endsWith("}")) return;
    const first = start;
    start = null;
    if (!text.endsWith(";") || NOT_AN_EXPRESSION.test(text)) return;
    // The value is on the statement's last line, or on the comment lines right after it.
    const following: string[] = [];
    for (let next = index + 1; next < parts.length && parts[next]!.code.trim() === ""; next++) {
      following.push(parts[next]!.comment ?? "");
    }
    const comment = part.comment ?? (following.length > 0 ? following.join("\n") : null);
    const value = comment === null ? null : shownValue(comment);
    if (value === null) return;
    const indent = /^\s*/.exec(code[first]!)?.[0] ?? "";
    out[first] = `${indent}__shows(${out[first]!.slice(indent.length)}`;
    const last = out[index]!;
    const semicolon = last.lastIndexOf(
      ";",
      trailingCommentAt(last) === -1 ? last.length : trailingCommentAt(last),
    );
    out[index] =
      `${last.slice(0, semicolon)}, ${value}, ${JSON.stringify(where(first))})${last.slice(semicolon)}`;
  });
  return out;
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
