/**
 * Arbitraries for IP addresses and their many equivalent spellings.
 *
 * @module
 */
import fc from "fast-check";

/** Eight 16-bit words of an IPv6 address. */
export type Ipv6Words = readonly number[];

/** Four bytes of an IPv4 address. */
export type Ipv4Bytes = readonly number[];

export const ipv4BytesArb: fc.Arbitrary<Ipv4Bytes> = fc.array(fc.integer({ min: 0, max: 255 }), {
  minLength: 4,
  maxLength: 4,
});

/** IPv6 words biased towards zero runs, so compressed spellings are common. */
export const ipv6WordsArb: fc.Arbitrary<Ipv6Words> = fc.array(
  fc.oneof(
    { arbitrary: fc.constant(0), weight: 3 },
    { arbitrary: fc.integer({ min: 0, max: 0xffff }), weight: 2 },
  ),
  { minLength: 8, maxLength: 8 },
);

export function ipv4Text(bytes: Ipv4Bytes): string {
  return bytes.join(".");
}

/** The IPv6 words of `::ffff:a.b.c.d` (IPv4-mapped). */
export function mappedWords(bytes: Ipv4Bytes): Ipv6Words {
  return [0, 0, 0, 0, 0, 0xffff, (bytes[0]! << 8) | bytes[1]!, (bytes[2]! << 8) | bytes[3]!];
}

/** The IPv6 words of `64:ff9b::a.b.c.d` (NAT64 well-known prefix). */
export function nat64Words(bytes: Ipv4Bytes): Ipv6Words {
  return [0x64, 0xff9b, 0, 0, 0, 0, (bytes[0]! << 8) | bytes[1]!, (bytes[2]! << 8) | bytes[3]!];
}

/**
 * Every way RFC 4291 §2.2 allows to write `words`: each group with optional leading zeros and
 * any letter case, optionally one run of zero groups compressed to `::` (not only the longest),
 * optionally the last 32 bits as a dotted quad, optionally in brackets.
 */
export function ipv6SpellingArb(words: Ipv6Words): fc.Arbitrary<string> {
  return fc
    .record({
      dotted: fc.boolean(),
      padding: fc.array(fc.nat({ max: 3 }), { minLength: 8, maxLength: 8 }),
      upper: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
      run: fc.nat(),
      bracketed: fc.boolean(),
    })
    .map(({ dotted, padding, upper, run, bracketed }) => {
      const hexCount = dotted ? 6 : 8;
      const groups = words.slice(0, hexCount).map((word, i) => {
        const hex = word
          .toString(16)
          .padStart(Math.min(4, word.toString(16).length + padding[i]!), "0");
        return upper[i] ? hex.toUpperCase() : hex;
      });
      if (dotted) {
        const [high = 0, low = 0] = words.slice(6);
        groups.push(`${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`);
      }
      const runs = zeroRuns(words.slice(0, hexCount));
      const chosen = runs[run % (runs.length + 1)];
      const text =
        chosen === undefined
          ? groups.join(":")
          : `${groups.slice(0, chosen.start).join(":")}::${groups.slice(chosen.start + chosen.length).join(":")}`;
      return bracketed ? `[${text}]` : text;
    });
}

/** Every run of consecutive zero words, as [start, length] with length ≥ 1. */
function zeroRuns(words: Ipv6Words): { start: number; length: number }[] {
  const runs: { start: number; length: number }[] = [];
  for (let start = 0; start < words.length; start++) {
    for (let end = start; end < words.length && words[end] === 0; end++) {
      runs.push({ start, length: end - start + 1 });
    }
  }
  return runs;
}

/** Spellings of an IPv4 address as IPv6: IPv4-mapped, in any of the forms above. */
export function mappedSpellingArb(bytes: Ipv4Bytes): fc.Arbitrary<string> {
  return ipv6SpellingArb(mappedWords(bytes));
}
