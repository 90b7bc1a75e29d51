import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { countSmsSegments, type SmsSegmentCount } from "../../core/sms_segments.ts";
import {
  GSM_BASIC_CHARS,
  GSM_DEFAULT_TABLE,
  GSM_EXTENSION_CHARS,
  gsm7TextArb,
  gsmBasicCharArb,
  smsTextArb,
  ucs2TextArb,
} from "../arbitraries/sms_segments_arbs.ts";

/**
 * The obviously-correct reference: decide the encoding, price every character, and if the text
 * does not fit one message, cut it into parts by taking, again and again, as many whole
 * characters as fit in one part.
 */
function referenceCount(text: string): SmsSegmentCount {
  const chars = Array.from(text);
  const gsm = chars.every((c) => GSM_BASIC_CHARS.includes(c) || GSM_EXTENSION_CHARS.includes(c));
  const cost = (c: string): number => (gsm ? (GSM_EXTENSION_CHARS.includes(c) ? 2 : 1) : c.length);
  const units = chars.reduce((sum, c) => sum + cost(c), 0);
  const [single, part] = gsm ? [160, 153] : [70, 67];
  const encoding = gsm ? "GSM-7" : "UCS-2";
  if (units <= single) return { encoding, units, segments: 1 };
  let segments = 0;
  let rest = chars;
  while (rest.length > 0) {
    let taken = 0;
    let used = 0;
    while (taken < rest.length && used + cost(rest[taken]!) <= part) {
      used += cost(rest[taken]!);
      taken += 1;
    }
    segments += 1;
    rest = rest.slice(taken);
  }
  return { encoding, units, segments };
}

describe("countSmsSegments()", () => {
  test.each([
    ["the empty text (billed as one message)", "", "GSM-7", 0, 1],
    ["a short GSM-7 text", "Hello", "GSM-7", 5, 1],
    ["160 septets", "a".repeat(160), "GSM-7", 160, 1],
    ["161 septets", "a".repeat(161), "GSM-7", 161, 2],
    ["306 septets", "a".repeat(306), "GSM-7", 306, 2],
    ["307 septets", "a".repeat(307), "GSM-7", 307, 3],
    ["80 euro signs", "€".repeat(80), "GSM-7", 160, 1],
    ["81 euro signs", "€".repeat(81), "GSM-7", 162, 2],
    // 152 septets, then an escape pair that would straddle the part boundary: it moves on.
    ["an escape pair at a part boundary", `${"a".repeat(152)}€${"a".repeat(152)}`, "GSM-7", 306, 3],
    ["every extension character", "{}[]~\\|^\f€", "GSM-7", 20, 1],
    [
      "Greek capitals and accented letters",
      "ΔΦΓΛΩΠΨΣΘΞ @£$¥èéùìòÇØøÅåÆæßÉ¤¡ÄÖÑÜ§¿äöñüà",
      "GSM-7",
      42,
      1,
    ],
    ["á (not in GSM-7)", "á", "UCS-2", 1, 1],
    ["lowercase ç (only Ç is GSM-7)", "ç", "UCS-2", 1, 1],
    ["a literal ESC", "\x1b", "UCS-2", 1, 1],
    ["a tab", "\t", "UCS-2", 1, 1],
    ["an emoji (a surrogate pair)", "Olá 👋", "UCS-2", 6, 1],
    ["70 UCS-2 units", "á".repeat(70), "UCS-2", 70, 1],
    ["71 UCS-2 units", "á".repeat(71), "UCS-2", 71, 2],
    ["134 UCS-2 units", "á".repeat(134), "UCS-2", 134, 2],
    ["135 UCS-2 units", "á".repeat(135), "UCS-2", 135, 3],
    ["35 emoji", "😀".repeat(35), "UCS-2", 70, 1],
    ["36 emoji", "😀".repeat(36), "UCS-2", 72, 2],
    // 66 units, then a surrogate pair that would straddle the boundary: it moves on.
    [
      "a surrogate pair at a part boundary",
      `${"á".repeat(66)}😀${"á".repeat(66)}`,
      "UCS-2",
      134,
      3,
    ],
    // Extension characters cost one UTF-16 unit once the text is UCS-2.
    ["a euro sign in a UCS-2 text", `€${"á".repeat(69)}`, "UCS-2", 70, 1],
    ["a lone surrogate", "\ud800", "UCS-2", 1, 1],
  ] as const)("counts %s", (_label, text, encoding, units, segments) => {
    expect(countSmsSegments(text)).toEqual({ encoding, units, segments });
  });

  test("the GSM-7 default alphabet has 127 characters besides ESC, each one septet", () => {
    expect(GSM_DEFAULT_TABLE).toHaveLength(128);
    for (const char of GSM_BASIC_CHARS) {
      expect(countSmsSegments(char)).toEqual({ encoding: "GSM-7", units: 1, segments: 1 });
    }
  });

  test("every extension character costs two septets", () => {
    for (const char of GSM_EXTENSION_CHARS) {
      expect(countSmsSegments(char)).toEqual({ encoding: "GSM-7", units: 2, segments: 1 });
    }
  });

  test("agrees with the reference on GSM-7, UCS-2 and arbitrary unicode texts", () => {
    fc.assert(
      fc.property(smsTextArb, (text) => {
        expect(countSmsSegments(text)).toEqual(referenceCount(text));
      }),
      { numRuns: 500 },
    );
  });

  test("a GSM-7 text costs its length plus one septet per extension character", () => {
    fc.assert(
      fc.property(gsm7TextArb, (text) => {
        const extensions = [...text].filter((c) => GSM_EXTENSION_CHARS.includes(c)).length;
        expect(countSmsSegments(text)).toMatchObject({
          encoding: "GSM-7",
          units: text.length + extensions,
        });
      }),
    );
  });

  test("a text with any non-GSM character is UCS-2, counted in UTF-16 code units", () => {
    fc.assert(
      fc.property(ucs2TextArb, (text) => {
        expect(countSmsSegments(text)).toMatchObject({ encoding: "UCS-2", units: text.length });
      }),
    );
  });

  test("multipart texts use at least ⌈units/part⌉ and at most ⌈units/(part−1)⌉ parts", () => {
    fc.assert(
      fc.property(smsTextArb, (text) => {
        const { encoding, units, segments } = countSmsSegments(text);
        const [single, part] = encoding === "GSM-7" ? [160, 153] : [70, 67];
        if (units <= single) return expect(segments).toBe(1);
        expect(segments).toBeGreaterThanOrEqual(Math.ceil(units / part));
        expect(segments).toBeLessThanOrEqual(Math.ceil(units / (part - 1)));
      }),
    );
  });

  test("appending a GSM-7 character to a GSM-7 text never lowers the segment count", () => {
    fc.assert(
      fc.property(gsm7TextArb, gsmBasicCharArb, (text, char) => {
        expect(countSmsSegments(text + char).segments).toBeGreaterThanOrEqual(
          countSmsSegments(text).segments,
        );
      }),
    );
  });
});
