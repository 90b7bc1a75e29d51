import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { suppressionAddress, suppressionAddressFault } from "../../core/suppression_address.ts";
import { e164DigitsArb } from "../arbitraries/payload_arbs.ts";

describe("suppressionAddress()", () => {
  test("WhatsApp numbers are digits, SMS numbers E.164 with +, e-mail bare and lower-cased", () => {
    expect(suppressionAddress("whatsapp", "+5511999999999")).toBe("5511999999999");
    expect(suppressionAddress("whatsapp", "whatsapp:+5511999999999")).toBe("5511999999999");
    expect(suppressionAddress("sms", "5511999999999")).toBe("+5511999999999");
    expect(suppressionAddress("sms", " +5511999999999 ")).toBe("+5511999999999");
    expect(suppressionAddress("email", "Ana <Ana@Shop.Example>")).toBe("ana@shop.example");
    expect(suppressionAddress("email", "CUSTOMER@company.com")).toBe("customer@company.com");
  });

  test("every spelling of a number gives one stored form, and the stored form is stable", () => {
    fc.assert(
      fc.property(e164DigitsArb, fc.constantFrom("", "+", "whatsapp:+", " +"), (digits, prefix) => {
        const wa = suppressionAddress("whatsapp", prefix + digits);
        expect(wa).toBe(digits);
        expect(suppressionAddress("whatsapp", wa)).toBe(wa);
        if (!prefix.includes("whatsapp")) {
          const sms = suppressionAddress("sms", prefix + digits);
          expect(sms).toBe(`+${digits}`);
          expect(suppressionAddress("sms", sms)).toBe(sms);
        }
      }),
    );
  });
});

describe("suppressionAddressFault()", () => {
  test("accepts what each list holds, and says why otherwise", () => {
    expect(suppressionAddressFault("sms", "+5511999999999")).toBeNull();
    expect(suppressionAddressFault("whatsapp", "+5511999999999")).toBeNull();
    expect(suppressionAddressFault("email", "Customer@Company.com")).toBeNull();
    expect(suppressionAddressFault("sms", "+55 11 99999")).toContain("E.164");
    expect(suppressionAddressFault("whatsapp", "abc")).toContain("E.164");
    expect(suppressionAddressFault("email", "customer")).toContain("e-mail address");
  });
});
