/**
 * Addresses a payload names: E.164 phone numbers, email addresses and Message-IDs. Each has a
 * pattern (which also goes into the TypeBox schema, so OpenAPI shows it) and a checker that
 * explains a miss with a hint for the usual mistakes.
 *
 * @module
 */
import { type Details, describe } from "./_details.ts";

/**
 * docs/api.md#sending, WhatsApp `number`: E.164 digits **without** `+`.
 *
 * @example
 * ```ts
 * E164_WITHOUT_PLUS.test("5511999999999"); // true
 * ```
 */
export const E164_WITHOUT_PLUS: RegExp = /^[1-9][0-9]{7,14}$/;

/**
 * docs/api.md#sending, SMS `to`: E.164 **with** `+`.
 *
 * @example
 * ```ts
 * E164_WITH_PLUS.test("+5511999999999"); // true
 * ```
 */
export const E164_WITH_PLUS: RegExp = /^\+[1-9][0-9]{7,14}$/;

// RFC 5321/5322 dot-atom local part (at most 64 octets) and an LDH domain of at least two labels
// whose last label starts with a letter. Quoted local parts and address literals are legal but
// no provider we target accepts them, so they are refused here rather than at send time.
const ATEXT = "A-Za-z0-9!#$%&'*+/=?^_`{|}~-";
const LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
const TLD = "[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";

/**
 * A bare email address (`local@domain.tld`), ASCII only; the local part at most 64 characters.
 *
 * @example
 * ```ts
 * EMAIL_ADDRESS.test("lead@company.com");      // true
 * EMAIL_ADDRESS.test("Lead <lead@company.com>"); // false
 * ```
 */
export const EMAIL_ADDRESS: RegExp = new RegExp(
  `^(?=[^@]{1,64}@)[${ATEXT}]+(?:\\.[${ATEXT}]+)*@(?:${LABEL}\\.)+${TLD}$`,
);

/**
 * RFC 5321: a forward path holds at most 254 octets of address.
 *
 * @example
 * ```ts
 * "lead@company.com".length <= MAX_EMAIL_LENGTH; // true
 * ```
 */
export const MAX_EMAIL_LENGTH = 254;

/**
 * A Message-ID, `<left@right>`: printable ASCII without spaces, `<`, `>` or a second `@`, which
 * is all an `In-Reply-To` or `References` header needs to stay one well-formed header.
 *
 * @example
 * ```ts
 * MESSAGE_ID.test("<abc.123@mail.company.com>"); // true
 * ```
 */
export const MESSAGE_ID: RegExp = /^<[!-;=?A-~]+@[!-;=?A-~]+>$/;

const PHONE_SEPARATORS = /[\s().-]/g;

/**
 * Reports a present phone number that is not E.164, with a hint for the usual mistakes.
 *
 * @param out Where problems go.
 * @param path JSON pointer of the value.
 * @param value The value as given.
 * @param withPlus `true` for SMS (`+5511…`), `false` for WhatsApp (`5511…`).
 * @example
 * ```ts
 * import { Details } from "./_details.ts";
 *
 * const out = new Details();
 * checkPhone(out, "/number", "+5511999999999", false);
 * out.list()[0]?.message; // …without "+"… (remove the leading "+")
 * ```
 */
export function checkPhone(out: Details, path: string, value: unknown, withPlus: boolean): void {
  const expected = phoneExpectation(withPlus);
  const target = withPlus ? E164_WITH_PLUS : E164_WITHOUT_PLUS;
  if (typeof value === "number") {
    out.invalid(path, `must be ${expected}, as a string rather than a number`);
  } else if (typeof value !== "string") {
    out.invalid(path, `must be ${expected}, got ${describe(value)}`);
  } else if (!target.test(value)) {
    out.invalid(path, `must be ${expected}${phoneHint(value, withPlus)}`);
  }
}

/**
 * Describes the phone format a channel wants, for "missing" and "invalid" messages alike.
 *
 * @param withPlus `true` for SMS, `false` for WhatsApp.
 * @returns A noun phrase with an example.
 * @example
 * ```ts
 * phoneExpectation(true); // 'a phone number in E.164 format with "+", e.g. +5511999999999'
 * ```
 */
export function phoneExpectation(withPlus: boolean): string {
  return withPlus
    ? 'a phone number in E.164 format with "+", e.g. +5511999999999'
    : 'a phone number in E.164 format without "+", e.g. 5511999999999';
}

function phoneHint(value: string, withPlus: boolean): string {
  if (!withPlus && E164_WITH_PLUS.test(value)) return ' (remove the leading "+")';
  if (withPlus && E164_WITHOUT_PLUS.test(value)) return ' (add the leading "+")';
  const compact = value.replace(PHONE_SEPARATORS, "");
  if (compact !== value && (E164_WITH_PLUS.test(compact) || E164_WITHOUT_PLUS.test(compact))) {
    return " (remove spaces, dots, dashes and parentheses)";
  }
  const digits = compact.startsWith("+") ? compact.slice(1) : compact;
  if (!/^[0-9]+$/.test(digits)) return "";
  if (digits.startsWith("0")) return " (start with the country code, not 0)";
  // Digits only, no leading 0, and still no match: only the length can be wrong.
  return ` (8 to 15 digits, got ${digits.length})`;
}

/**
 * Reports a present value that is not a bare email address.
 *
 * @param out Where problems go.
 * @param path JSON pointer of the value.
 * @param value The value as given.
 * @example
 * ```ts
 * import { Details } from "./_details.ts";
 *
 * const out = new Details();
 * checkEmailAddress(out, "/to/0", "Ana <ana@company.com>");
 * out.list()[0]?.message; // …(give the bare address…)
 * ```
 */
export function checkEmailAddress(out: Details, path: string, value: unknown): void {
  const expected = "an email address, e.g. customer@company.com";
  if (typeof value !== "string") {
    out.invalid(path, `must be ${expected}, got ${describe(value)}`);
  } else if (value.length > MAX_EMAIL_LENGTH) {
    out.invalid(path, `must be an email address of at most ${MAX_EMAIL_LENGTH} characters`);
  } else if (!EMAIL_ADDRESS.test(value)) {
    out.invalid(path, `must be ${expected}${emailHint(value)}`);
  }
}

function emailHint(value: string): string {
  if (/<[^<>]*>/.test(value)) return " (give the bare address, without a display name)";
  if (value.trim() !== value && EMAIL_ADDRESS.test(value.trim())) {
    return " (remove the surrounding spaces)";
  }
  return "";
}

/**
 * Reports a present value that is not a Message-ID.
 *
 * @param out Where problems go.
 * @param path JSON pointer of the value.
 * @param value The value as given.
 * @example
 * ```ts
 * import { Details } from "./_details.ts";
 *
 * const out = new Details();
 * checkMessageId(out, "/inReplyTo", "abc@mail.com");
 * out.list()[0]?.message; // …(wrap it in angle brackets: <abc@mail.com>)
 * ```
 */
export function checkMessageId(out: Details, path: string, value: unknown): void {
  const expected = "a Message-ID such as <id@mail.company.com>";
  if (typeof value !== "string") {
    out.invalid(path, `must be ${expected}, got ${describe(value)}`);
  } else if (!MESSAGE_ID.test(value)) {
    const wrapped = `<${value}>`;
    // The value is echoed only when short: a detail must not grow with the body.
    const echo = value.length <= 100 && MESSAGE_ID.test(wrapped);
    const hint = echo ? ` (wrap it in angle brackets: ${wrapped})` : "";
    out.invalid(path, `must be ${expected}${hint}`);
  }
}
