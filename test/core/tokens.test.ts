import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { RandomBytes } from "../../core/ports/random.ts";
import {
  generateToken,
  hashToken,
  isTokenExpired,
  isTokenOld,
  isTokenShaped,
  parseBearer,
  TOKEN_BODY_LENGTH,
  TOKEN_PREFIX,
  tokenDisplayPrefix,
} from "../../core/tokens.ts";
import { randomBytesArb, seededRandomBytes } from "../arbitraries/ids_arbs.ts";
import { bearerSchemeArb, nearTokenArb, tokenArb } from "../arbitraries/tokens_arbs.ts";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const DAY = 86_400_000;
const cryptoRandom: RandomBytes = (n) => crypto.getRandomValues(new Uint8Array(n));

/** A source that hands out `bytes` in order, `chunk` at a time, counting the calls. */
function scripted(bytes: number[], chunk = Number.POSITIVE_INFINITY) {
  let offset = 0;
  const source = {
    calls: 0,
    random: ((n: number) => {
      source.calls++;
      const out = Uint8Array.from(bytes.slice(offset, offset + Math.min(n, chunk)));
      offset += out.length;
      return out;
    }) as RandomBytes,
  };
  return source;
}

describe("generateToken()", () => {
  test("is se_ followed by 43 base62 characters", () => {
    fc.assert(
      fc.property(randomBytesArb, (random) => {
        const token = generateToken(random);
        expect(token).toMatch(/^se_[0-9A-Za-z]{43}$/);
        expect(token.length).toBe(TOKEN_PREFIX.length + TOKEN_BODY_LENGTH);
        expect(isTokenShaped(token)).toBe(true);
      }),
    );
  });

  test("never repeats over many draws", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) seen.add(generateToken(cryptoRandom));
    expect(seen.size).toBe(20_000);
  });

  test("maps bytes below 248 modulo 62 and skips the rest", () => {
    const bytes = [248, 0, 255, 61, 62, 123, 247, 250, ...Array(40).fill(1)];
    const token = generateToken(scripted(bytes).random);
    expect(token.slice(0, 8)).toBe(`se_0z0${BASE62[123 % 62]}z`);
    expect(token).toBe(`se_0z0${BASE62[123 % 62]}z${"1".repeat(38)}`);
  });

  test("reads more bytes while too many are rejected", () => {
    // Every other byte is rejected, and the source hands out 10 bytes per call.
    const bytes = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 255 : 7));
    const source = scripted(bytes, 10);
    expect(generateToken(source.random)).toBe(`se_${"7".repeat(43)}`);
    expect(source.calls).toBe(9);
  });

  test("throws on a source that returns only rejected bytes", () => {
    expect(() => generateToken((n) => new Uint8Array(n).fill(252))).toThrow(/random source/);
    expect(() => generateToken(() => new Uint8Array(0))).toThrow(/random source/);
  });

  test("draws every base62 character equally often", () => {
    const counts = new Map<string, number>();
    const random = seededRandomBytes(7);
    for (let i = 0; i < 3000; i++) {
      for (const char of generateToken(random).slice(3))
        counts.set(char, (counts.get(char) ?? 0) + 1);
    }
    const total = 3000 * 43;
    const expected = total / 62;
    let chiSquare = 0;
    for (const char of BASE62) chiSquare += ((counts.get(char) ?? 0) - expected) ** 2 / expected;
    // 61 degrees of freedom: p = 0.001 at ≈ 100. A plain `byte % 62` gives chi² in the hundreds.
    expect(chiSquare).toBeLessThan(100);
  });
});

describe("isTokenShaped()", () => {
  test("accepts se_ with at least 43 base62 characters", () => {
    expect(isTokenShaped(`se_${"a".repeat(43)}`)).toBe(true);
    expect(isTokenShaped(`se_${"Z9".repeat(40)}`)).toBe(true);
  });

  test("refuses near misses and non-strings", () => {
    fc.assert(
      fc.property(nearTokenArb, (value) => {
        expect(isTokenShaped(value)).toBe(false);
      }),
    );
    for (const value of [
      undefined,
      null,
      42,
      {},
      `se_${"a".repeat(42)}`,
      ` se_${"a".repeat(43)}`,
    ]) {
      expect(isTokenShaped(value)).toBe(false);
    }
  });
});

describe("hashToken()", () => {
  test("is SHA-256 in lower-case hex", async () => {
    expect(await hashToken("abc")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });

  test("hashes the UTF-8 bytes", async () => {
    expect(await hashToken("é")).toBe(await sha256Hex(Uint8Array.of(0xc3, 0xa9)));
    expect(await hashToken("é")).not.toBe(await sha256Hex(Uint8Array.of(0xe9)));
  });

  test("is stable, 64 hex characters, and differs between tokens", async () => {
    await fc.assert(
      fc.asyncProperty(tokenArb, tokenArb, async (a, b) => {
        const hashA = await hashToken(a);
        expect(hashA).toMatch(/^[0-9a-f]{64}$/);
        expect(await hashToken(a)).toBe(hashA);
        if (a !== b) expect(await hashToken(b)).not.toBe(hashA);
      }),
    );
  });
});

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

describe("tokenDisplayPrefix()", () => {
  test("is the first 8 characters after se_", () => {
    fc.assert(
      fc.property(tokenArb, (token) => {
        const prefix = tokenDisplayPrefix(token);
        expect(prefix).toMatch(/^[0-9A-Za-z]{8}$/);
        expect(token.startsWith(TOKEN_PREFIX + prefix)).toBe(true);
      }),
    );
  });

  test("cuts a value without the prefix from its start", () => {
    expect(tokenDisplayPrefix("abcdefghijk")).toBe("abcdefgh");
    expect(tokenDisplayPrefix("se_abc")).toBe("abc");
  });
});

describe("isTokenExpired()", () => {
  const at = new Date("2025-06-01T00:00:00Z");

  test("a token without expiry never expires", () => {
    expect(isTokenExpired(null, Number.MAX_SAFE_INTEGER)).toBe(false);
  });

  test("expires at expiresAt itself", () => {
    expect(isTokenExpired(at, at.getTime() - 1)).toBe(false);
    expect(isTokenExpired(at, at.getTime())).toBe(true);
    expect(isTokenExpired(at, at.getTime() + 1)).toBe(true);
  });
});

describe("isTokenOld()", () => {
  const created = new Date("2025-01-01T00:00:00Z");

  test("flags tokens older than 90 days by default", () => {
    expect(isTokenOld(created, created.getTime() + 90 * DAY)).toBe(false);
    expect(isTokenOld(created, created.getTime() + 90 * DAY + 1)).toBe(true);
  });

  test("takes another limit", () => {
    expect(isTokenOld(created, created.getTime() + 31 * DAY, { days: 30 })).toBe(true);
    expect(isTokenOld(created, created.getTime() + 100 * DAY, { days: 365 })).toBe(false);
  });
});

describe("parseBearer()", () => {
  test("a missing or blank header is missing", () => {
    for (const header of [null, undefined, "", "   "]) {
      expect(parseBearer(header)).toEqual({ ok: false, reason: "missing" });
    }
  });

  test("reads the credential whatever the scheme's letter case", () => {
    fc.assert(
      fc.property(bearerSchemeArb, fc.stringMatching(/^[!-~]{1,60}$/), (scheme, token) => {
        expect(parseBearer(`${scheme} ${token}`)).toEqual({ ok: true, token });
      }),
    );
  });

  test("tolerates surrounding whitespace and several spaces after the scheme", () => {
    expect(parseBearer("  Bearer   se_abc  ")).toEqual({ ok: true, token: "se_abc" });
  });

  test("refuses other schemes, a missing credential and extra parts", () => {
    for (const header of [
      "Bearer",
      "Basic se_abc",
      "Bearerse_abc",
      "Token se_abc",
      "se_abc",
      "Bearer se_abc extra",
      "Bearer se_abc se_def",
      "Bearer\tse_abc",
    ]) {
      expect(parseBearer(header)).toEqual({ ok: false, reason: "malformed" });
    }
  });
});
