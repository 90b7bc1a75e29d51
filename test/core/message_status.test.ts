import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { MessageStatus } from "../../core/domain.ts";
import { applyStatusChange } from "../../core/message_status.ts";
import { channelWithMessageArb } from "../arbitraries/events_arbs.ts";

const statusArb: fc.Arbitrary<MessageStatus> = fc.constantFrom(
  "queued",
  "sent",
  "delivered",
  "read",
  "failed",
  "received",
);
const changeArb = fc.record(
  {
    status: statusArb,
    at: fc.date({ min: new Date(0), max: new Date(2 ** 40), noInvalidDate: true }),
    reason: fc.string({ maxLength: 8 }),
  },
  { requiredKeys: ["status", "at"] },
);

describe("applyStatusChange()", () => {
  test("a status the message has or had changes nothing; any other is appended once", () => {
    fc.assert(
      fc.property(channelWithMessageArb, changeArb, ({ message }, change) => {
        const seen =
          message.status === change.status ||
          message.history.some((entry) => entry.status === change.status);
        const updated = applyStatusChange(message, change);
        if (seen) {
          expect(updated).toBeNull();
          return;
        }
        expect(updated).toEqual({
          ...message,
          status: change.status,
          history: [...message.history, change],
          updatedAt: change.at,
        });
        // Applying it again is a no-op: repeated callbacks change nothing.
        expect(applyStatusChange(updated as NonNullable<typeof updated>, change)).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  test("a late 'sent' after 'delivered' changes nothing, and the input is left as it was", () => {
    const at = new Date(Date.UTC(2025, 0, 1));
    const base = fc.sample(channelWithMessageArb, 1)[0]?.message;
    if (base === undefined) throw new Error("no sample");
    const delivered = {
      ...base,
      status: "delivered" as const,
      history: [
        { status: "sent" as const, at },
        { status: "delivered" as const, at },
      ],
    };
    const before = structuredClone(delivered);
    expect(applyStatusChange(delivered, { status: "sent", at })).toBeNull();
    expect(applyStatusChange(delivered, { status: "read", at })?.history).toHaveLength(3);
    expect(delivered).toEqual(before);
  });
});
