import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { hashToken } from "../../core/tokens.ts";
import { sha256Hex } from "../../server/services/hash.ts";

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
