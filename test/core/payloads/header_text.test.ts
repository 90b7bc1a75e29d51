/**
 * Header-bound text (`subject`, `fromName`) refuses every control character but TAB: C0, DEL,
 * C1, and the Unicode line and paragraph separators — wherever it sits in the text.
 */
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { validateSendPayload } from "../../../core/payloads/validate.ts";

const controls = [
  ...Array.from({ length: 0x20 }, (_, i) => i).filter((code) => code !== 0x09),
  0x7f,
  ...Array.from({ length: 0x20 }, (_, i) => 0x80 + i),
  0x2028,
  0x2029,
].map((code) => String.fromCharCode(code));
const controlArb = fc.constantFrom(...controls);
const textArb = fc
  .string({ unit: "grapheme-ascii", maxLength: 20 })
  .filter((s) => !/["\\<>]/.test(s));

const email = (fields: Record<string, unknown>) =>
  validateSendPayload("email", { to: "a@company.com", html: "<p>x</p>", subject: "Hi", ...fields });

describe("header-bound text", () => {
  for (const field of ["subject", "fromName"]) {
    test(`${field} with any control character but TAB, anywhere, is refused at /${field}`, () => {
      fc.assert(
        fc.property(textArb, controlArb, textArb, (before, control, after) => {
          const result = email({ [field]: `x${before}${control}${after}` });
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.details.map((d) => d.path)).toContain(`/${field}`);
        }),
      );
    });

    test(`${field} may hold a TAB and any other text`, () => {
      fc.assert(
        fc.property(textArb, textArb, (before, after) => {
          expect(email({ [field]: `x${before}\t${after}é 👋` }).ok).toBe(true);
        }),
      );
    });
  }

  test("every control character is named (NEL, U+2028, VT and ESC among them)", () => {
    for (const control of ["\u0085", "\u2028", "\u000b", "\u001b"]) {
      expect(email({ subject: `a${control}b` }).ok).toBe(false);
      expect(email({ fromName: `a${control}b` }).ok).toBe(false);
    }
  });
});
