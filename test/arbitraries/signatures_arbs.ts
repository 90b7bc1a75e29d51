/**
 * Arbitraries for Standard Webhooks messages, secrets and one-character mutations.
 *
 * @module
 */
import fc from "fast-check";

/** Base64 of bytes, written without core's helpers. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}

/** `whsec_` + base64 of 24–64 random bytes (the Standard Webhooks range). */
export const secretArb: fc.Arbitrary<string> = fc
  .uint8Array({ minLength: 24, maxLength: 64 })
  .map((bytes) => `whsec_${toBase64(bytes)}`);

/** A message id as senders make them (`evt_…`, `msg_…`), sometimes unusual. */
export const messageIdArb: fc.Arbitrary<string> = fc.oneof(
  fc.ulid().map((id) => `evt_${id}`),
  fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 40 }),
);

/** Unix seconds between 1970 and 2100. */
export const timestampArb: fc.Arbitrary<number> = fc.integer({ min: 0, max: 4_102_444_800 });

/** Well-formed bodies: JSON envelopes and arbitrary unicode (no lone surrogates, which UTF-8 cannot carry). */
export const bodyArb: fc.Arbitrary<string> = fc.oneof(
  fc.json(),
  fc.string({ unit: "grapheme", maxLength: 300 }),
);

export const messageArb: fc.Arbitrary<{ id: string; timestamp: number; body: string }> = fc.record({
  id: messageIdArb,
  timestamp: timestampArb,
  body: bodyArb,
});

/**
 * Changes a well-formed string by exactly one code point (replace, insert or delete), drawn
 * from `charArb`. The result may equal the input (e.g. a replacement by the same character):
 * callers filter with `fc.pre(mutated !== original)`.
 */
export function mutateArb(
  original: string,
  charArb: fc.Arbitrary<string> = fc.string({
    unit: "grapheme-composite",
    minLength: 1,
    maxLength: 1,
  }),
): fc.Arbitrary<string> {
  const chars = [...original];
  return fc
    .tuple(fc.constantFrom("replace", "insert", "delete"), fc.nat(), charArb)
    .map(([kind, position, char]) => {
      const copy = [...chars];
      if (kind === "insert" || copy.length === 0) {
        copy.splice(position % (copy.length + 1), 0, char);
      } else {
        copy.splice(position % copy.length, 1, ...(kind === "replace" ? [char] : []));
      }
      return copy.join("");
    });
}

export const base64CharArb: fc.Arbitrary<string> = fc.constantFrom(
  ..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
);
