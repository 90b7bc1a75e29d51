import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { checkChannel } from "../../core/channel_config.ts";
import { checkEmailAddress, checkPhone } from "../../core/payloads/_addresses.ts";
import { Details } from "../../core/payloads/_details.ts";
import { suppressionAddressFault } from "../../core/suppression_address.ts";

// Addresses the payload rule refuses and the channel and suppression checks once accepted, each
// with its own looser copy of the pattern: a double dot, a numeric last label, a label that
// starts with a hyphen, a 65-character local part.
const REFUSED_BY_PAYLOADS = [
  "a..b@shop.example",
  "orders@shop.123",
  "orders@-shop.example",
  `${"a".repeat(65)}@shop.example`,
];

const emailArb = fc.oneof(
  fc.emailAddress(),
  fc.constantFrom(...REFUSED_BY_PAYLOADS),
  fc.string({ maxLength: 30 }),
);
const phoneArb = fc.oneof(fc.stringMatching(/^\+?[0-9]{6,17}$/), fc.string({ maxLength: 18 }));

function payloadAccepts(check: (out: Details) => void): boolean {
  const out = new Details();
  check(out);
  return out.list().length === 0;
}

function channelAccepts(type: "sms" | "email", address: string): boolean {
  const details = checkChannel(type, { provider: "sandbox", address, config: {} });
  return !details.some((detail) => detail.path === "/address");
}

describe("one address rule for payloads, channels and suppressions", () => {
  test("the addresses the payload rule refuses are refused everywhere", () => {
    for (const address of REFUSED_BY_PAYLOADS) {
      expect(channelAccepts("email", address)).toBe(false);
      expect(suppressionAddressFault("email", address)).not.toBeNull();
    }
  });

  test("a channel and a suppression take an e-mail address exactly when a payload does", () => {
    fc.assert(
      fc.property(emailArb, (address) => {
        const payload = payloadAccepts((out) => checkEmailAddress(out, "/to/0", address));
        expect(channelAccepts("email", address)).toBe(payload);
        if (address === address.trim().toLowerCase() && !address.includes("<")) {
          expect(suppressionAddressFault("email", address) === null).toBe(payload);
        }
      }),
    );
  });

  test("a channel and a suppression take an SMS number exactly when a payload does", () => {
    fc.assert(
      fc.property(phoneArb, (number) => {
        const payload = payloadAccepts((out) => checkPhone(out, "/to", number, true));
        expect(channelAccepts("sms", number)).toBe(payload);
        if (number.startsWith("+") && number.trim() === number) {
          expect(suppressionAddressFault("sms", number) === null).toBe(payload);
        }
      }),
    );
  });
});
