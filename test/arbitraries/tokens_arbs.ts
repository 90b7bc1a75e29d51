/**
 * Arbitraries for tokens and `Authorization` headers.
 *
 * @module
 */
import fc from "fast-check";
import { generateToken } from "../../core/tokens.ts";
import { randomBytesArb } from "./ids_arbs.ts";

/** A freshly generated token. */
export const tokenArb: fc.Arbitrary<string> = randomBytesArb.map((random) => generateToken(random));

/** "bearer" in any letter case. */
export const bearerSchemeArb: fc.Arbitrary<string> = fc
  .array(fc.boolean(), { minLength: 6, maxLength: 6 })
  .map((upper) => [..."bearer"].map((char, i) => (upper[i] ? char.toUpperCase() : char)).join(""));

/** Strings that look a bit like tokens: right prefix, wrong length or alphabet, or none. */
export const nearTokenArb: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^se_[0-9A-Za-z]{0,42}$/),
  fc.stringMatching(/^se_[0-9A-Za-z]{40,50}[-_.~+/=]$/),
  fc.stringMatching(/^(SE_|se-|sk_|)[0-9A-Za-z]{43}$/),
  tokenArb.map((token) => token.slice(3)),
);

/** Every kind of header a client might send, shaped or not. */
export const authorizationHeaderArb: fc.Arbitrary<string | null | undefined> = fc.oneof(
  fc.constantFrom(null, undefined, "", " ", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz"),
  fc.string(),
  fc.string({ unit: "binary" }),
  fc
    .tuple(bearerSchemeArb, fc.oneof(tokenArb, nearTokenArb, fc.string()))
    .map(([scheme, value]) => `${scheme} ${value}`),
  fc.tuple(bearerSchemeArb, tokenArb, tokenArb).map(([s, a, b]) => `${s} ${a} ${b}`),
);
