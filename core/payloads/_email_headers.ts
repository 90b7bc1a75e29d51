/**
 * E-mail `headers`: the few a sender may set itself (README "E-mail"): `List-Unsubscribe` and
 * `List-Unsubscribe-Post` (RFC 2369, RFC 8058 one-click unsubscribe, which Gmail and Yahoo
 * require of bulk senders), `X-Entity-Ref-ID` and any other `X-*` name. Everything else (From,
 * To, Subject, Message-ID…) is Sendeasy's to write, so a payload can never forge it. No name or
 * value may hold a control character: a line break would start a header of its own.
 *
 * @module
 */
import { type Details, describe, pointerSegment, quote } from "./_details.ts";
import { isJsonObject } from "./_json_object.ts";
import { checkClean, codePoints, isCleanText } from "./_text.ts";

/** RFC 5322 §2.1.1: a header line holds at most 998 characters. */
export const MAX_HEADER_VALUE = 998;
const MAX_HEADER_NAME = 76;

/** A pattern matching `name` in any letter case (header names are case-insensitive). */
function anyCase(name: string): string {
  return [...name]
    .map((char) => (/[a-z]/i.test(char) ? `[${char.toUpperCase()}${char.toLowerCase()}]` : char))
    .join("");
}

/**
 * The header names a payload may set, in any letter case: the two List-Unsubscribe headers
 * and `X-` followed by RFC 5322 field-name characters (printable ASCII but `:`).
 *
 * @example
 * ```ts
 * ALLOWED_HEADER_NAME.test("list-unsubscribe"); // true
 * ALLOWED_HEADER_NAME.test("Reply-To");         // false
 * ```
 */
export const ALLOWED_HEADER_NAME: RegExp = new RegExp(
  `^(?:${anyCase("List-Unsubscribe")}(?:${anyCase("-Post")})?|[Xx]-[!-9;-~]{1,${MAX_HEADER_NAME - 2}})$`,
);

/**
 * A header value: any text without control characters but TAB (C0, DEL, C1, U+2028, U+2029
 * all end or confuse a header line in some reader).
 *
 * @example
 * ```ts
 * HEADER_VALUE.test("<https://shop.example/u/42>"); // true
 * HEADER_VALUE.test("a\r\nBcc: x@y.z");              // false
 * ```
 */
export const HEADER_VALUE: RegExp = /^[^\x00-\x08\x0A-\x1F\x7F-\x9F\u2028\u2029]*$/;

// RFC 2369: one or more `<URI>`, comma-separated.
const LIST_UNSUBSCRIBE = /^\s*<[^<>\s]+>(?:\s*,\s*<[^<>\s]+>)*\s*$/;
// RFC 8058 §3.1: the only value there is.
const ONE_CLICK = "List-Unsubscribe=One-Click";

/**
 * Whether a `headers` object the schema accepted also keeps the rules the schema cannot say:
 * no two names that differ only in case, clean text, values within 998 characters, and the
 * List-Unsubscribe pair well-formed.
 *
 * @param headers Names to values, as the schema accepted them.
 * @returns `true` when {@linkcode checkHeaders} would find nothing.
 */
export function headersAreValid(headers: Readonly<Record<string, string>>): boolean {
  const lower = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    if (lower.has(name.toLowerCase())) return false;
    if (!isCleanText(value) || codePoints(value) > MAX_HEADER_VALUE) return false;
    lower.set(name.toLowerCase(), value);
  }
  return listUnsubscribeFault(lower) === null;
}

/**
 * Reports every problem of a present `headers` field, each at `/headers/<name>`.
 *
 * @param out Where problems go.
 * @param path JSON pointer of the field (`/headers`).
 * @param value The value as given.
 * @example
 * ```ts
 * import { Details } from "./_details.ts";
 *
 * const out = new Details();
 * checkHeaders(out, "/headers", { "Reply-To": "a@b.co", "X-Ref": "42" });
 * out.list().map((detail) => detail.path); // ["/headers/Reply-To"]
 * ```
 */
export function checkHeaders(out: Details, path: string, value: unknown): void {
  if (!isJsonObject(value)) {
    out.invalid(path, `must be an object of header names to text values, got ${describe(value)}`);
    return;
  }
  const lower = new Map<string, string>();
  for (const [name, headerValue] of Object.entries(value)) {
    if (out.full) return;
    const at = `${path}/${pointerSegment(name)}`;
    if (!ALLOWED_HEADER_NAME.test(name)) {
      out.invalid(at, `${quote(name)} cannot be set: ${nameHint(name)}`);
      continue;
    }
    const key = name.toLowerCase();
    if (lower.has(key)) {
      out.invalid(at, "is given twice (header names ignore letter case)");
      continue;
    }
    if (typeof headerValue !== "string") {
      out.invalid(at, `must be a string, got ${describe(headerValue)}`);
      continue;
    }
    lower.set(key, headerValue);
    checkHeaderValue(out, at, headerValue);
  }
  const fault = listUnsubscribeFault(lower);
  if (fault !== null) out.invalid(`${path}/${fault.name}`, fault.reason);
}

function checkHeaderValue(out: Details, path: string, value: string): void {
  if (!checkClean(out, path, value)) return;
  if (!HEADER_VALUE.test(value)) {
    out.invalid(path, "must not contain line breaks or other control characters");
  } else if (codePoints(value) > MAX_HEADER_VALUE) {
    out.invalid(path, `must be at most ${MAX_HEADER_VALUE} characters, got ${codePoints(value)}`);
  }
}

function nameHint(name: string): string {
  const allowed = "only List-Unsubscribe, List-Unsubscribe-Post and X-* names are allowed";
  if (/^[Xx]-/.test(name) && name.length > MAX_HEADER_NAME) {
    return `header names are at most ${MAX_HEADER_NAME} characters`;
  }
  if (/^[Xx]-/.test(name)) return "a header name holds printable ASCII without spaces or colons";
  return `${allowed} (Sendeasy writes the others from the payload)`;
}

/** The List-Unsubscribe rules, on lower-cased names: the broken header and why, or `null`. */
function listUnsubscribeFault(
  headers: ReadonlyMap<string, string>,
): { name: string; reason: string } | null {
  const list = headers.get("list-unsubscribe");
  const post = headers.get("list-unsubscribe-post");
  if (list !== undefined && !LIST_UNSUBSCRIBE.test(list)) {
    return {
      name: "List-Unsubscribe",
      reason: "must be one or more <URI>, comma-separated, e.g. <https://shop.example/u/42>",
    };
  }
  if (post === undefined) return null;
  if (post !== ONE_CLICK) {
    return { name: "List-Unsubscribe-Post", reason: `must be exactly "${ONE_CLICK}"` };
  }
  if (list === undefined || !/<https:/i.test(list)) {
    return {
      name: "List-Unsubscribe-Post",
      reason:
        "needs a List-Unsubscribe header with an https URI (one-click unsubscribe posts to it)",
    };
  }
  return null;
}
