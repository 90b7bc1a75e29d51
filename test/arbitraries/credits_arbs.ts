/**
 * Arbitraries for credit balances and costs.
 *
 * @module
 */
import fc from "fast-check";
import { CHANNEL_TYPES, type ChannelType } from "../../core/domain.ts";

export const channelTypeArb: fc.Arbitrary<ChannelType> = fc.constantFrom(...CHANNEL_TYPES);

/** A channel balance: `null` (unlimited) or a non-negative integer. */
export const balanceArb: fc.Arbitrary<number | null> = fc.option(fc.nat({ max: 1_000_000 }), {
  nil: null,
});

/** A send's cost: what `creditCost` can return, plus 0. */
export const costArb: fc.Arbitrary<number> = fc.nat({ max: 2_000 });

/** A positive count (recipients or segments). */
export const countArb: fc.Arbitrary<number> = fc.integer({ min: 1, max: 50 });
