/**
 * E-mail `tags`: up to 10 `{ name, value }` pairs of letters, digits, `_` and `-` (Resend's own
 * rule for tags, which it echoes in its events). They stay on the message and in its events
 * whatever the provider; SMTP has no such thing and sends none.
 *
 * @module
 */
import { type Static, Type } from "@sinclair/typebox";
import { type Details, describe, pointerSegment } from "./_details.ts";
import { isJsonObject } from "./_json_object.ts";

/** Most tags on one e-mail. */
export const MAX_TAGS = 10;
const MAX_TAG_TEXT = 256;
const TAG_TEXT = /^[A-Za-z0-9_-]+$/;

const TagText = Type.String({
  minLength: 1,
  maxLength: MAX_TAG_TEXT,
  pattern: TAG_TEXT.source,
});

/**
 * One tag.
 *
 * @example
 * ```ts
 * const tag: EmailTag = { name: "category", value: "order_confirmation" };
 * ```
 */
export const EmailTag = Type.Object(
  { name: TagText, value: TagText },
  {
    additionalProperties: false,
    description: `A name and a value, each 1–${MAX_TAG_TEXT} of A–Z, a–z, 0–9, _ and -.`,
  },
);
export type EmailTag = Static<typeof EmailTag>;

/**
 * Whether schema-accepted tags also have distinct names.
 *
 * @param tags The tags as the schema accepted them.
 * @returns `true` when no name repeats.
 */
export function tagsAreValid(tags: readonly EmailTag[]): boolean {
  return new Set(tags.map((tag) => tag.name)).size === tags.length;
}

/**
 * Reports every problem of a present `tags` field, each at its own path (`/tags/2/value`).
 *
 * @param out Where problems go.
 * @param path JSON pointer of the field (`/tags`).
 * @param value The value as given.
 * @example
 * ```ts
 * import { Details } from "./_details.ts";
 *
 * const out = new Details();
 * checkTags(out, "/tags", [{ name: "order id", value: "42" }]);
 * out.list(); // [{ path: "/tags/0/name", message: 'Invalid field "tags[0].name": must be 1–256 of A–Z, a–z, 0–9, _ and - (no spaces)' }]
 * ```
 */
export function checkTags(out: Details, path: string, value: unknown): void {
  if (!Array.isArray(value)) {
    out.invalid(path, `must be an array of { name, value } tags, got ${describe(value)}`);
    return;
  }
  if (value.length > MAX_TAGS) {
    out.invalid(path, `must have at most ${MAX_TAGS} items, got ${value.length}`);
  }
  const names = new Set<string>();
  for (let i = 0; i < value.length && !out.full; i++) {
    const at = `${path}/${i}`;
    const tag: unknown = value[i];
    if (!isJsonObject(tag)) {
      out.invalid(at, `must be an object { name, value }, got ${describe(tag)}`);
      continue;
    }
    for (const field of ["name", "value"] as const) checkTagText(out, `${at}/${field}`, tag[field]);
    for (const key of Object.keys(tag)) {
      if (key !== "name" && key !== "value") {
        out.invalid(
          `${at}/${pointerSegment(key)}`,
          'is not a tag field: a tag has "name" and "value"',
        );
      }
    }
    if (typeof tag.name === "string") {
      if (names.has(tag.name)) out.invalid(`${at}/name`, `repeats the tag "${tag.name}"`);
      names.add(tag.name);
    }
  }
}

function checkTagText(out: Details, path: string, value: unknown): void {
  if (value === undefined) out.missing(path, `1–${MAX_TAG_TEXT} of A–Z, a–z, 0–9, _ and -`);
  else if (typeof value !== "string") out.invalid(path, `must be a string, got ${describe(value)}`);
  else if (value.length === 0 || value.length > MAX_TAG_TEXT || !TAG_TEXT.test(value)) {
    out.invalid(path, `must be 1–${MAX_TAG_TEXT} of A–Z, a–z, 0–9, _ and - (no spaces)`);
  }
}
