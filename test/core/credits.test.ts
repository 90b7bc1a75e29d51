import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { creditCost, takeCredits } from "../../core/credits.ts";
import { balanceArb, channelTypeArb, costArb, countArb } from "../arbitraries/credits_arbs.ts";

describe("creditCost()", () => {
  test.each([
    ["whatsapp", {}, 1],
    ["whatsapp", { recipients: 5, segments: 7 }, 1],
    ["email", {}, 1],
    ["email", { recipients: 3 }, 3],
    ["email", { recipients: 50, segments: 9 }, 50],
    ["sms", {}, 1],
    ["sms", { segments: 4 }, 4],
    ["sms", { segments: 2, recipients: 9 }, 2],
  ] as const)("prices a %s send with %j at %i", (type, options, cost) => {
    expect(creditCost(type, options)).toBe(cost);
  });

  test("prices with no options at 1 for every channel type", () => {
    fc.assert(fc.property(channelTypeArb, (type) => expect(creditCost(type)).toBe(1)));
  });

  test("charges email per recipient and SMS per segment, WhatsApp always 1", () => {
    fc.assert(
      fc.property(countArb, countArb, (recipients, segments) => {
        expect(creditCost("email", { recipients, segments })).toBe(recipients);
        expect(creditCost("sms", { recipients, segments })).toBe(segments);
        expect(creditCost("whatsapp", { recipients, segments })).toBe(1);
      }),
    );
  });

  test.each([0, -1, 1.5, Number.NaN])("throws on %p recipients or segments (a bug)", (count) => {
    expect(() => creditCost("email", { recipients: count })).toThrow(RangeError);
    expect(() => creditCost("sms", { segments: count })).toThrow(RangeError);
  });
});

describe("takeCredits()", () => {
  test("takes the cost from a balance that covers it", () => {
    expect(takeCredits(10, 3)).toEqual({ ok: true, remaining: 7 });
    expect(takeCredits(3, 3)).toEqual({ ok: true, remaining: 0 });
    expect(takeCredits(0, 0)).toEqual({ ok: true, remaining: 0 });
  });

  test("refuses a balance one short, reporting the balance untouched", () => {
    expect(takeCredits(2, 3)).toEqual({ ok: false, code: "NO_CREDITS", balance: 2 });
    expect(takeCredits(0, 1)).toEqual({ ok: false, code: "NO_CREDITS", balance: 0 });
  });

  test("an unlimited balance stays unlimited", () => {
    fc.assert(
      fc.property(costArb, (cost) => {
        expect(takeCredits(null, cost)).toEqual({ ok: true, remaining: null });
      }),
    );
  });

  test("succeeds exactly when the balance covers the cost, and never goes negative", () => {
    fc.assert(
      fc.property(balanceArb, costArb, (balance, cost) => {
        const result = takeCredits(balance, cost);
        if (balance === null) return expect(result.ok).toBe(true);
        if (balance >= cost) {
          expect(result).toEqual({ ok: true, remaining: balance - cost });
        } else {
          expect(result).toEqual({ ok: false, code: "NO_CREDITS", balance });
        }
      }),
    );
  });

  test("taking twice costs the same as taking the sum once", () => {
    fc.assert(
      fc.property(fc.nat({ max: 1000 }), costArb, costArb, (balance, a, b) => {
        const first = takeCredits(balance, a);
        const twice = first.ok ? takeCredits(first.remaining, b) : first;
        const once = takeCredits(balance, a + b);
        expect(twice.ok).toBe(once.ok);
        if (twice.ok && once.ok) expect(twice.remaining).toBe(once.remaining);
      }),
    );
  });

  test.each([-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY])(
    "throws on a cost of %p (a bug)",
    (cost) => {
      expect(() => takeCredits(10, cost)).toThrow(RangeError);
      expect(() => takeCredits(null, cost)).toThrow(RangeError);
    },
  );
});
