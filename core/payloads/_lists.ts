/**
 * Array fields (`files`, `mediaUrls`) and "one or an array" fields (`to`, `bcc`, `references`):
 * the count is checked once, then every item at its own path (`/files/3`).
 *
 * @module
 */
import { type Details, describe } from "./_details.ts";

/**
 * Checks one item at its path.
 *
 * @example
 * ```ts
 * import { checkHttpUrl } from "./_urls.ts";
 *
 * const check: ItemCheck = (out, path, item) => checkHttpUrl(out, path, item, false);
 * ```
 */
export type ItemCheck = (out: Details, path: string, item: unknown) => void;

/**
 * Limits of one list field.
 *
 * @example
 * ```ts
 * import { checkHttpUrl } from "./_urls.ts";
 *
 * const files: ListRule = {
 *   max: 10,
 *   item: "an absolute http(s) URL",
 *   check: (out, path, item) => checkHttpUrl(out, path, item, false),
 * };
 * ```
 */
export interface ListRule {
  /** Fewest items. Default 0. */
  min?: number;
  /** Most items. Default: no limit. */
  max?: number;
  /** Noun phrase for one item, for type messages: `an email address`. */
  item: string;
  /** Checks each item. */
  check: ItemCheck;
}

/**
 * Reports every problem of a present array field and of each of its items.
 *
 * @param out Where problems go.
 * @param path JSON pointer of the array.
 * @param value The value as given.
 * @param rule Its limits and item check.
 * @returns The number of items, or `undefined` when the value is not an array.
 * @example
 * ```ts
 * import { Details } from "./_details.ts";
 * import { checkHttpUrl } from "./_urls.ts";
 *
 * const out = new Details();
 * const check: ItemCheck = (out, path, item) => checkHttpUrl(out, path, item, false);
 * checkArray(out, "/files", ["a"], { max: 10, item: "a URL", check }); // 1
 * out.list()[0]?.path; // "/files/0"
 * ```
 */
export function checkArray(
  out: Details,
  path: string,
  value: unknown,
  rule: ListRule,
): number | undefined {
  if (!Array.isArray(value)) {
    out.invalid(path, `must be an array of ${plural(rule.item)}, got ${describe(value)}`);
    return undefined;
  }
  checkItems(out, path, value, rule);
  return value.length;
}

/**
 * Reports every problem of a field that takes one item or an array of them.
 *
 * @param out Where problems go.
 * @param path JSON pointer of the field.
 * @param value The value as given: a string is the one-item form.
 * @param rule Its limits (for the array form) and item check.
 * @returns The number of items, or `undefined` when the value is neither form.
 * @example
 * ```ts
 * import { checkEmailAddress } from "./_addresses.ts";
 * import { Details } from "./_details.ts";
 *
 * const out = new Details();
 * const rule: ListRule = { min: 1, max: 50, item: "an email address", check: checkEmailAddress };
 * checkOneOrMany(out, "/to", "a@b.co", rule); // 1
 * checkOneOrMany(out, "/to", ["a@b.co", "c@d.co"], rule); // 2
 * ```
 */
export function checkOneOrMany(
  out: Details,
  path: string,
  value: unknown,
  rule: ListRule,
): number | undefined {
  if (typeof value === "string") {
    rule.check(out, path, value);
    return 1;
  }
  if (!Array.isArray(value)) {
    out.invalid(path, `must be ${rule.item} or an array of them, got ${describe(value)}`);
    return undefined;
  }
  checkItems(out, path, value, rule);
  return value.length;
}

function checkItems(out: Details, path: string, items: unknown[], rule: ListRule): void {
  if (rule.min !== undefined && items.length < rule.min) {
    out.invalid(path, `must have at least ${rule.min} ${rule.min === 1 ? "item" : "items"}`);
  }
  if (rule.max !== undefined && items.length > rule.max) {
    out.invalid(path, `must have at most ${rule.max} items, got ${items.length}`);
  }
  // Past the detail cap nothing more is kept, so a huge array costs no more work.
  for (let i = 0; i < items.length && !out.full; i++) rule.check(out, `${path}/${i}`, items[i]);
}

/** `an email address` → `email addresses`, `a URL` → `URLs`, for "array of …". */
function plural(item: string): string {
  const noun = item.replace(/^an? /, "");
  return noun.endsWith("s") ? `${noun}es` : `${noun}s`;
}
