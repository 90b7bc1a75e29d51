import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { signWebhook, signWebhookWith } from "../../../core/signatures.ts";
import { hashToken } from "../../../core/tokens.ts";
import { hmacSha256Base64, sha256Hex } from "../../../server/services/hash.ts";

// The send path hashes tokens with Bun's synchronous hasher; tokens were stored with core's
// WebCrypto hash. Any disagreement would lock every caller out.
describe("sha256Hex()", () => {
  test("agrees with core's hashToken on any string", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "binary" }), async (value) => {
        expect(sha256Hex(value)).toBe(await hashToken(value));
      }),
      { numRuns: 300 },
    );
  });

  test("gives the known SHA-256 of 'abc'", () => {
    expect(sha256Hex("abc")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });
});

describe("hmacSha256Base64() through signWebhookWith()", () => {
  test("gives the same webhook-signature header as core's WebCrypto signWebhook", async () => {
    const secretArb = fc
      .uint8Array({ minLength: 32, maxLength: 32 })
      .map((bytes) => `whsec_${Buffer.from(bytes).toString("base64")}`);
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          id: fc.string({ minLength: 1 }),
          timestamp: fc.integer({ min: 0, max: 2 ** 40 }),
          body: fc.string({ unit: "binary" }),
        }),
        fc.array(secretArb, { minLength: 1, maxLength: 3 }),
        async (message, secrets) => {
          expect(signWebhookWith(hmacSha256Base64, message, secrets)).toBe(
            await signWebhook(message, secrets),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  test("refuses what signWebhook refuses, with the same error types", async () => {
    const message = { id: "evt_1", timestamp: 1, body: "{}" };
    const sync =
      (secrets: string[], m = message) =>
      () =>
        signWebhookWith(hmacSha256Base64, m, secrets);
    expect(sync([])).toThrow(RangeError);
    await expect(signWebhook(message, [])).rejects.toThrow(RangeError);
    expect(sync(["whsec_not base64!"])).toThrow(TypeError);
    await expect(signWebhook(message, ["whsec_not base64!"])).rejects.toThrow(TypeError);
    expect(sync(["whsec_AAAA"], { ...message, timestamp: -1 })).toThrow(RangeError);
  });
});
