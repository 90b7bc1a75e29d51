/**
 * Custom-integration tokens (docs/api.md#tokens): `se_` + 43 base62 characters (≈ 256 bits) from a
 * CSPRNG, stored only as a SHA-256 hash and listed by their first 8 characters.
 *
 * @module
 */
import type { RandomBytes } from "./ports/random.ts";

/**
 * Every token starts with this.
 *
 * @example
 * ```ts
 * const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
 * generateToken(random).startsWith(TOKEN_PREFIX); // true
 * ```
 */
export const TOKEN_PREFIX = "se_";

/**
 * Number of base62 characters {@link generateToken} draws after the prefix.
 *
 * @example
 * ```ts
 * const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
 * generateToken(random).length === TOKEN_PREFIX.length + TOKEN_BODY_LENGTH; // true
 * ```
 */
export const TOKEN_BODY_LENGTH = 43;

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
// 248 = 4 × 62: bytes at or above it are dropped so every character is equally likely.
const UNBIASED_BELOW = 248;
const BYTES_PER_DRAW = 48;
// A working CSPRNG rejects 8 bytes in 256; failing this many draws means it is broken.
const MAX_DRAWS = 32;
const TOKEN_SHAPE = /^se_[0-9A-Za-z]{43,}$/;
const DISPLAY_PREFIX_LENGTH = 8;
const DAY_MS = 86_400_000;

/**
 * Draws a new token. Unbiased: bytes ≥ 248 are rejected and the rest mapped modulo 62, reading
 * more bytes as needed.
 *
 * @param random A cryptographically secure byte source.
 * @returns `se_` followed by 43 base62 characters.
 * @throws {Error} When `random` keeps returning only rejected bytes (a broken source).
 *
 * @example
 * ```ts
 * const token = generateToken((n) => crypto.getRandomValues(new Uint8Array(n)));
 * isTokenShaped(token); // true
 * ```
 */
export function generateToken(random: RandomBytes): string {
  let body = "";
  for (let draw = 0; draw < MAX_DRAWS && body.length < TOKEN_BODY_LENGTH; draw++) {
    for (const byte of random(BYTES_PER_DRAW)) {
      if (byte >= UNBIASED_BELOW) continue;
      body += BASE62.charAt(byte % 62);
      if (body.length === TOKEN_BODY_LENGTH) break;
    }
  }
  if (body.length < TOKEN_BODY_LENGTH) {
    throw new Error("Cannot generate a token: the random source returned too few usable bytes");
  }
  return TOKEN_PREFIX + body;
}

/**
 * Checks the token format: `se_` then at least 43 base62 characters. Only shaped values are
 * worth hashing and looking up.
 *
 * @param value Anything taken from a request.
 * @returns `true` when `value` looks like a token.
 *
 * @example
 * ```ts
 * isTokenShaped("se_" + "a".repeat(43)); // true
 * isTokenShaped("se_short"); // false
 * ```
 */
export function isTokenShaped(value: unknown): value is string {
  return typeof value === "string" && TOKEN_SHAPE.test(value);
}

/**
 * Hashes a token for storage and lookup: SHA-256 of its UTF-8 bytes, lower-case hex.
 *
 * @param token The full token, prefix included.
 * @returns 64 hex characters.
 *
 * @example
 * ```ts
 * await hashToken("se_abc"); // "118c60d7572530df0f51d55a9de9ec39f7b281dc05c6674c9a22f98e3d4e45f8"
 * ```
 */
export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  let hex = "";
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/**
 * The part of a token lists may show: its first 8 characters after `se_`.
 *
 * @param token The full token (a value without the `se_` prefix is cut from its start).
 * @returns Up to 8 characters.
 *
 * @example
 * ```ts
 * tokenDisplayPrefix("se_Ab3dEf9hXYZ…"); // "Ab3dEf9h"
 * ```
 */
export function tokenDisplayPrefix(token: string): string {
  const body = token.startsWith(TOKEN_PREFIX) ? token.slice(TOKEN_PREFIX.length) : token;
  return body.slice(0, DISPLAY_PREFIX_LENGTH);
}

/**
 * Whether a token has passed its expiry. A token expires at `expiresAt` itself.
 *
 * @param expiresAt The expiry, or `null` for a token that never expires.
 * @param now Milliseconds since the Unix epoch.
 * @returns `true` when `now` is at or after `expiresAt`.
 *
 * @example
 * ```ts
 * isTokenExpired(new Date("2025-01-01T00:00:00Z"), Date.parse("2025-06-01T00:00:00Z")); // true
 * isTokenExpired(null, Date.now()); // false
 * ```
 */
export function isTokenExpired(expiresAt: Date | null, now: number): boolean {
  return expiresAt !== null && now >= expiresAt.getTime();
}

/**
 * Whether a token is old enough that the CLI and UI should suggest rotating it (docs/api.md#tokens:
 * older than 90 days).
 *
 * @param createdAt When the current token was issued.
 * @param now Milliseconds since the Unix epoch.
 * @param options.days The age limit in days; default 90.
 * @returns `true` when the token is strictly older than `days` days.
 *
 * @example
 * ```ts
 * isTokenOld(new Date("2025-01-01T00:00:00Z"), Date.parse("2025-06-01T00:00:00Z")); // true
 * isTokenOld(new Date("2025-01-01T00:00:00Z"), Date.parse("2025-06-01T00:00:00Z"), { days: 365 }); // false
 * ```
 */
export function isTokenOld(createdAt: Date, now: number, options: { days?: number } = {}): boolean {
  const days = options.days ?? 90;
  return now - createdAt.getTime() > days * DAY_MS;
}

/**
 * Reads the credential out of an `Authorization: Bearer <token>` header. The scheme is
 * case-insensitive; exactly one credential must follow it (RFC 7235 allows one or more spaces
 * between them); surrounding whitespace is ignored.
 *
 * @param header The header value as received.
 * @returns The credential, or why there is none: `missing` (no or blank header) or `malformed`.
 *
 * @example
 * ```ts
 * parseBearer("Bearer se_abc"); // { ok: true, token: "se_abc" }
 * parseBearer("Basic dXNlcg=="); // { ok: false, reason: "malformed" }
 * parseBearer(null); // { ok: false, reason: "missing" }
 * ```
 */
export function parseBearer(
  header: string | null | undefined,
): { ok: true; token: string } | { ok: false; reason: "missing" | "malformed" } {
  const value = header?.trim() ?? "";
  if (value === "") return { ok: false, reason: "missing" };
  const parts = value.split(/ +/);
  const [scheme, token] = parts;
  if (parts.length !== 2 || scheme?.toLowerCase() !== "bearer" || token === undefined) {
    return { ok: false, reason: "malformed" };
  }
  return { ok: true, token };
}
