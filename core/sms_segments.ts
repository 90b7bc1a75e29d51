/**
 * How many SMS segments a text takes (docs/api.md#sending): the number a carrier bills and the
 * `segments` field of an SMS send's answer.
 *
 * @module
 */

/** Character sets an SMS body can travel in. */
export type SmsEncoding = "GSM-7" | "UCS-2";

/** What {@linkcode countSmsSegments} found. */
export interface SmsSegmentCount {
  /** `GSM-7` when every character is in the GSM 03.38 default alphabet or its extension table. */
  encoding: SmsEncoding;
  /** Septets for GSM-7 (an extension character counts two), UTF-16 code units for UCS-2. */
  units: number;
  /** Segments the text is sent as; at least 1. */
  segments: number;
}

/**
 * The GSM 03.38 default alphabet in code order, without 0x1B (ESC): a literal ESC in a text is
 * not a character the handset can show, so it forces UCS-2 like any other foreign character.
 */
const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

/** The default extension table: each is sent as ESC + one septet, so it costs two. */
const GSM_EXTENSION = "\f^{}\\[~]|€";

const SEPTETS = new Map<string, number>([
  ...Array.from(GSM_BASIC, (char): [string, number] => [char, 1]),
  ...Array.from(GSM_EXTENSION, (char): [string, number] => [char, 2]),
]);

/** Capacity of one part: [single message, part of a concatenated message (UDH takes the rest)]. */
const CAPACITY: Record<SmsEncoding, readonly [single: number, multipart: number]> = {
  "GSM-7": [160, 153],
  "UCS-2": [70, 67],
};

/**
 * Counts the encoding, units and segments of an SMS body.
 *
 * - Any character outside GSM-7 (default alphabet + extension table) makes the whole text UCS-2.
 * - GSM-7: up to 160 septets is one segment, otherwise parts of 153 septets.
 *   UCS-2: up to 70 code units is one segment, otherwise parts of 67 code units.
 * - Carriers never split an escape pair (`€` = ESC + e) or a surrogate pair (an emoji) across
 *   two parts, so a character that does not fit in what is left of a part starts the next one:
 *   152 plain septets followed by `€` take two parts, not one full part of 153.
 * - The empty text counts as 1 segment: a sent SMS is billed as one message even when blank
 *   (the SMS payload schema requires a non-empty body anyway).
 *
 * @param text The message body, as sent (no normalization is applied).
 * @returns The encoding, the units used and the number of segments (≥ 1).
 * @example
 * ```ts
 * countSmsSegments("Hello {name}"); // { encoding: "GSM-7", units: 14, segments: 1 }
 * countSmsSegments("Olá 👋");       // { encoding: "UCS-2", units: 6, segments: 1 }
 * ```
 */
export function countSmsSegments(text: string): SmsSegmentCount {
  const encoding = isGsm7(text) ? "GSM-7" : "UCS-2";
  const [single, multipart] = CAPACITY[encoding];
  let units = 0;
  let parts = 1;
  let used = 0;
  // `for…of` walks code points, so a surrogate pair arrives as one two-unit character.
  for (const char of text) {
    const cost = encoding === "GSM-7" ? (SEPTETS.get(char) ?? 0) : char.length;
    units += cost;
    if (used + cost > multipart) {
      parts += 1;
      used = 0;
    }
    used += cost;
  }
  return { encoding, units, segments: units <= single ? 1 : parts };
}

/** True when every character of `text` has a GSM-7 encoding. */
function isGsm7(text: string): boolean {
  for (const char of text) {
    if (!SEPTETS.has(char)) return false;
  }
  return true;
}
