/**
 * Free-text rules shared by every payload (docs/api.md#sending): lengths in Unicode code points, no NUL,
 * and well-formed UTF-16 so the text survives UTF-8 storage and providers unchanged.
 *
 * @module
 */
import { type Details, describe } from "./_details.ts";

/**
 * Limits of one text field.
 *
 * @example
 * ```ts
 * const message: TextRule = { nonEmpty: true, trim: true, max: 4096 };
 * ```
 */
export interface TextRule {
  /** At least one character (after trimming when `trim`). Default `false`. */
  nonEmpty?: boolean;
  /** Most characters (code points, after trimming when `trim`). Default: no limit. */
  max?: number;
  /** Measure without leading and trailing whitespace. Default `false`. */
  trim?: boolean;
  /** Refuse CR and LF (header values). Default `false`. */
  singleLine?: boolean;
  /**
   * Header-bound text (an e-mail `Subject`, a display name): refuse every control character
   * but TAB (C0, DEL, C1) and the Unicode line and paragraph separators. Default `false`.
   */
  headerLine?: boolean;
}

/** What header-bound text refuses, as the body of a regex character class (NUL included). */
const HEADER_UNSAFE_CLASS = "\\x00-\\x08\\x0A-\\x1F\\x7F-\\x9F\\u2028\\u2029";
// NUL is `checkClean`'s to report; this one names the rest.
const HEADER_UNSAFE = new RegExp(`[${HEADER_UNSAFE_CLASS.replace("\\x00", "\\x01")}]`);

/**
 * The schema pattern of header-bound text (see {@linkcode TextRule.headerLine}), refusing
 * `also` too.
 *
 * @param also more characters to refuse, as regex class syntax (e.g. `"<>"`)
 * @returns a pattern for a TypeBox `Type.String`
 * @example
 * ```ts
 * new RegExp(headerLinePattern()).test("Order\u2028confirmed"); // false
 * new RegExp(headerLinePattern()).test("Order\tconfirmed");     // true
 * ```
 */
export function headerLinePattern(also = ""): string {
  return `^[^${HEADER_UNSAFE_CLASS}${also}]*$`;
}

/**
 * Whether a string is storable text: Postgres refuses NUL in `text` and `jsonb`, and an unpaired
 * surrogate would silently become U+FFFD on its way to UTF-8.
 *
 * @param value Any string.
 * @returns `true` when it has no NUL and no unpaired surrogate.
 * @example
 * ```ts
 * isCleanText("olá 👋"); // true
 * isCleanText("a\u0000b"); // false
 * ```
 */
export function isCleanText(value: string): boolean {
  return !value.includes("\0") && value.isWellFormed();
}

/**
 * Counts Unicode code points, the "characters" of docs/api.md#sending: an emoji counts once.
 *
 * @param value Any string; an unpaired surrogate counts as one.
 * @returns The number of code points.
 * @example
 * ```ts
 * codePoints("👋👋"); // 2, where "👋👋".length is 4
 * ```
 */
export function codePoints(value: string): number {
  let count = value.length;
  for (let i = 0; i < value.length - 1; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count--;
        i++;
      }
    }
  }
  return count;
}

/**
 * Reports why a string is not storable text (see {@linkcode isCleanText}), if it is not.
 *
 * @param out Where problems go.
 * @param path JSON pointer of the value.
 * @param value The string.
 * @returns `true` when the text is clean.
 * @example
 * ```ts
 * import { Details } from "./_details.ts";
 *
 * const out = new Details();
 * checkClean(out, "/body", "a\u0000b"); // false
 * out.list()[0]?.path; // "/body"
 * ```
 */
export function checkClean(out: Details, path: string, value: string): boolean {
  if (value.includes("\0")) out.invalid(path, "must not contain NUL characters (\\u0000)");
  else if (!value.isWellFormed()) {
    out.invalid(path, "must be valid Unicode text (it holds an unpaired surrogate)");
  } else return true;
  return false;
}

/**
 * Reports every problem of a present text field against its rule.
 *
 * @param out Where problems go.
 * @param path JSON pointer of the value.
 * @param value The value as given, of any type.
 * @param rule Its limits.
 * @example
 * ```ts
 * import { Details } from "./_details.ts";
 *
 * const out = new Details();
 * checkText(out, "/message", "   ", { nonEmpty: true, trim: true });
 * out.list()[0]?.message; // 'Invalid field "message": must not be blank'
 * ```
 */
export function checkText(out: Details, path: string, value: unknown, rule: TextRule): void {
  if (typeof value !== "string") {
    out.invalid(path, `must be a string, got ${describe(value)}`);
    return;
  }
  checkClean(out, path, value);
  if (rule.headerLine === true && HEADER_UNSAFE.test(value)) {
    out.invalid(
      path,
      "must not contain line breaks, control characters or line separators (only TAB is allowed)",
    );
  } else if (rule.singleLine === true && /[\r\n]/.test(value)) {
    out.invalid(path, "must be a single line (no CR or LF)");
  }
  const text = rule.trim === true ? value.trim() : value;
  if (rule.nonEmpty === true && text.length === 0) {
    out.invalid(path, value.length > 0 ? "must not be blank" : "must not be empty");
  }
  // `.length` counts UTF-16 units, never fewer than code points: only long strings need counting.
  if (rule.max !== undefined && text.length > rule.max) {
    const count = codePoints(text);
    if (count > rule.max) {
      const after = rule.trim === true ? " after trimming" : "";
      out.invalid(path, `must be at most ${rule.max} characters${after}, got ${count}`);
    }
  }
}
