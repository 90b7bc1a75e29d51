/**
 * Arbitraries for the 24-hour window: send times, and a contact's last inbound time placed
 * around them (never, long ago, just inside or outside 24 hours, ahead of our clock).
 *
 * @module
 */
import fc from "fast-check";

const DAY = 24 * 60 * 60 * 1000;

/** A send time, in ms since the epoch. */
export const nowArb: fc.Arbitrary<number> = fc.integer({ min: 2 * DAY, max: Date.UTC(2100, 0, 1) });

/** How long before `now` the contact last wrote (negative: a provider clock ahead of ours). */
export const sinceInboundArb: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: -60_000, max: 3 * DAY }),
  fc.constantFrom(0, DAY - 1, DAY, DAY + 1),
);

/** A send to a contact: time, last inbound (or none), what it carries, and the channel's rule. */
export const windowCaseArb = fc.record({
  now: nowArb,
  since: fc.option(sinceInboundArb, { nil: null }),
  content: fc.constantFrom("message" as const, "template" as const),
  enforce: fc.boolean(),
});
