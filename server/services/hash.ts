/**
 * SHA-256 and HMAC-SHA256 on the server's hot paths, with Bun's synchronous hasher. Core gives
 * the same results through WebCrypto (`hashToken`, `signWebhook`), whose asynchronous round
 * trip cost more than the hash itself; tests check both agree.
 *
 * @module
 */

/**
 * SHA-256 hex of a string.
 *
 * @example
 * sha256Hex("abc"); // "ba7816bf…"
 */
export function sha256Hex(value: string): string {
  return new Bun.CryptoHasher("sha256").update(value).digest("hex");
}

/**
 * HMAC-SHA256 in base64, for core's `signWebhookWith` (same header as `signWebhook`; a test
 * checks they agree).
 *
 * @example
 * hmacSha256Base64(new Uint8Array(32), "evt_….1735689600.{}"); // "…="
 */
export function hmacSha256Base64(key: Uint8Array<ArrayBuffer>, content: string): string {
  return new Bun.CryptoHasher("sha256", key).update(content).digest("base64");
}
