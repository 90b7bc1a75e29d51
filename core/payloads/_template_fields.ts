/**
 * Field checks shared by both template forms' validators: known keys, patterns, nested objects
 * and required text, each reported at its own JSON pointer.
 *
 * @module
 */
import { type Details, describe, pointerSegment } from "./_details.ts";
import { checkText } from "./_text.ts";

/** An object of a request body, keys not yet checked. */
export type Fields = Record<string, unknown>;

/** Meta's limit on one parameter's text, and the one used for every template text. */
export const MAX_PARAMETER_TEXT = 1024;

/** Reports a missing or invalid required text (1–1024 characters after trimming). */
export function checkRequiredText(
  out: Details,
  path: string,
  value: unknown,
  expected: string,
): void {
  if (value === undefined) out.missing(path, expected);
  else checkText(out, path, value, { nonEmpty: true, trim: true, max: MAX_PARAMETER_TEXT });
}

/** Reports a missing or non-object value, its unknown keys, then runs `inner` on its fields. */
export function checkObject(
  out: Details,
  path: string,
  value: unknown,
  keys: readonly string[],
  noun: string,
  inner: (fields: Fields) => void,
): void {
  if (value === undefined) {
    out.missing(path, `${noun} object`);
    return;
  }
  if (!isObject(value)) {
    out.invalid(path, `must be ${noun} object, got ${describe(value)}`);
    return;
  }
  checkKeys(out, path, value, keys, `${noun} object`);
  inner(value);
}

/** Reports a value that is not a string, longer than `max`, or not matching `pattern`. */
export function checkPattern(
  out: Details,
  path: string,
  value: unknown,
  pattern: RegExp,
  rule: { hint: string; max?: number },
): void {
  if (typeof value !== "string") {
    out.invalid(path, `must be a string, got ${describe(value)}`);
    return;
  }
  if (rule.max !== undefined && value.length > rule.max) {
    out.invalid(path, `must be at most ${rule.max} characters, got ${value.length}`);
  } else if (!pattern.test(value)) out.invalid(path, rule.hint);
}

/** Reports every key of `value` that `keys` does not list. */
export function checkKeys(
  out: Details,
  path: string,
  value: Fields,
  keys: readonly string[],
  noun: string,
): void {
  for (const key of Object.keys(value)) {
    if (out.full) return;
    if (!keys.includes(key)) {
      out.unknown(
        `${path}/${pointerSegment(key)}`,
        `${noun} takes ${keys.map((k) => JSON.stringify(k)).join(", ")}`,
      );
    }
  }
}

/** A JSON object (not an array, not null). */
export function isObject(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
