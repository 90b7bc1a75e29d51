/**
 * Arbitraries for retry schedules, jitter sources and throttling answers.
 *
 * @module
 */
import fc from "fast-check";

/** A positive delay in seconds with at most 3 decimals (printable without exponent). */
export const delaySecondsArb: fc.Arbitrary<number> = fc
  .integer({ min: 1, max: 100_000_000 })
  .map((thousandths) => thousandths / 1000);

/** A schedule of 1–12 positive delays, in any order. */
export const scheduleArb: fc.Arbitrary<number[]> = fc.array(delaySecondsArb, {
  minLength: 1,
  maxLength: 12,
});

/** A schedule whose delays never shrink, like the default one. */
export const growingScheduleArb: fc.Arbitrary<number[]> = scheduleArb.map((delays) =>
  [...delays].sort((a, b) => a - b),
);

/** A value of `Math.random()`: [0, 1). */
export const unitArb: fc.Arbitrary<number> = fc.double({
  min: 0,
  max: 1,
  maxExcluded: true,
  noNaN: true,
});

/** Statuses after which `Retry-After` counts. */
export const throttlingStatusArb: fc.Arbitrary<number> = fc.constantFrom(429, 502, 503, 504);

/** Other failure statuses (Retry-After must be ignored). */
export const otherStatusArb: fc.Arbitrary<number> = fc
  .integer({ min: 300, max: 599 })
  .filter((status) => ![429, 502, 503, 504].includes(status));

/** A `Retry-After` in seconds, from 0 to a day. */
export const retryAfterSecondsArb: fc.Arbitrary<number> = fc.integer({ min: 0, max: 86_400 });
