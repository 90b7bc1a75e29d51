/**
 * The shown values of doc examples: a line `expression; // value` (or an expression statement
 * followed by comment lines holding the value) whose value is a literal states what the
 * expression gives; the generated module checks it with `__shows` (`_doc_shows.ts`).
 */

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
export function withValueChecks(code: string[], where: (index: number) => string): string[] {
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
