/**
 * Arbitraries for ids, and a seeded byte source that stands in for a CSPRNG in properties.
 *
 * @module
 */
import fc from "fast-check";
import { ID_PREFIXES, type IdKind } from "../../core/ids.ts";
import type { RandomBytes } from "../../core/ports/random.ts";

/**
 * A deterministic byte source (mulberry32), so a failing property replays exactly.
 *
 * @param seed any integer
 * @returns a {@link RandomBytes} that continues one stream across calls
 */
export function seededRandomBytes(seed: number): RandomBytes {
  let state = seed >>> 0;
  return (length: number): Uint8Array => {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      out[i] = (t ^ (t >>> 14)) & 0xff;
    }
    return out;
  };
}

/** A seeded byte source that prints as `seededRandomBytes(<seed>)` in counterexamples. */
export const randomBytesArb: fc.Arbitrary<RandomBytes> = fc.integer().map((seed) =>
  Object.assign(seededRandomBytes(seed), {
    [fc.toStringMethod]: () => `seededRandomBytes(${seed})`,
  }),
);

/** Any id kind. */
export const idKindArb: fc.Arbitrary<IdKind> = fc.constantFrom(
  ...(Object.keys(ID_PREFIXES) as IdKind[]),
);

/** Any time an id can carry: 0 … 2^48 − 1 ms. */
export const idTimeArb: fc.Arbitrary<number> = fc.integer({ min: 0, max: 2 ** 48 - 1 });

/** A realistic time: 2000 … 2100. */
export const recentTimeArb: fc.Arbitrary<number> = fc.integer({
  min: Date.UTC(2000, 0, 1),
  max: Date.UTC(2100, 0, 1),
});
