/**
 * Arbitraries for SMS texts: pure GSM-7 texts (default alphabet and extension table) and
 * texts that must travel as UCS-2 (a foreign character, emoji, lone surrogates).
 *
 * @module
 */
import fc from "fast-check";

/**
 * The GSM 03.38 default alphabet by code, 0x00 to 0x7F, written independently of
 * `core/sms_segments.ts`. `null` marks 0x1B, the escape to the extension table.
 */
export const GSM_DEFAULT_TABLE: readonly (string | null)[] = [
  ..."@£$¥èéùìòÇ\nØø\rÅå",
  ..."Δ_ΦΓΛΩΠΨΣΘΞ",
  null,
  ..."ÆæßÉ",
  ..." !\"#¤%&'()*+,-./",
  ..."0123456789:;<=>?",
  ..."¡ABCDEFGHIJKLMNO",
  ..."PQRSTUVWXYZÄÖÑÜ§",
  ..."¿abcdefghijklmno",
  ..."pqrstuvwxyzäöñüà",
];

/** Characters of the default alphabet (every code but ESC). */
export const GSM_BASIC_CHARS: readonly string[] = GSM_DEFAULT_TABLE.filter(
  (char): char is string => char !== null,
);

/** The extension table: form feed, `^ { } \ [ ~ ] |` and `€`, two septets each. */
export const GSM_EXTENSION_CHARS: readonly string[] = [
  "\f",
  "^",
  "{",
  "}",
  "\\",
  "[",
  "~",
  "]",
  "|",
  "€",
];

/** Emoji and other astral characters (surrogate pairs, some joined into one grapheme). */
export const EMOJI: readonly string[] = ["😀", "👋🏽", "🇧🇷", "👨‍👩‍👧", "𝄞", "🫠"];

export const gsmBasicCharArb: fc.Arbitrary<string> = fc.constantFrom(...GSM_BASIC_CHARS);
export const gsmExtensionCharArb: fc.Arbitrary<string> = fc.constantFrom(...GSM_EXTENSION_CHARS);

/** Any single code point (lone surrogates included) that is not GSM-7. */
export const nonGsmCharArb: fc.Arbitrary<string> = fc.oneof(
  fc
    .string({ unit: "binary", minLength: 1, maxLength: 1 })
    .filter((char) => !GSM_BASIC_CHARS.includes(char) && !GSM_EXTENSION_CHARS.includes(char)),
  fc.constantFrom(...EMOJI),
  fc.constantFrom("á", "ç", "α", "ж", "中", "\x1b", "\t", "`"),
);

/** Texts of only GSM-7 characters, long enough to cross the 160/153 boundaries often. */
export const gsm7TextArb: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { arbitrary: gsmBasicCharArb, weight: 5 },
      { arbitrary: gsmExtensionCharArb, weight: 1 },
    ),
    {
      maxLength: 700,
    },
  )
  .map((chars) => chars.join(""));

/** Texts holding at least one non-GSM character, so they travel as UCS-2. */
export const ucs2TextArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(
      fc.oneof(
        { arbitrary: gsmBasicCharArb, weight: 3 },
        { arbitrary: gsmExtensionCharArb, weight: 1 },
        { arbitrary: nonGsmCharArb, weight: 2 },
      ),
      { maxLength: 300 },
    ),
    nonGsmCharArb,
    fc.nat(),
  )
  .map(([chars, foreign, at]) => {
    // Copy: mapping must not mutate the generated value, which fast-check reuses when shrinking.
    const text = [...chars];
    text.splice(at % (text.length + 1), 0, foreign);
    return text.join("");
  });

/** Any text at all: GSM-7, UCS-2 or arbitrary unicode graphemes. */
export const smsTextArb: fc.Arbitrary<string> = fc.oneof(
  gsm7TextArb,
  ucs2TextArb,
  fc.string({ unit: "grapheme", maxLength: 200 }),
);
