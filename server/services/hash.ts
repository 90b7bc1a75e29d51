/**
 * SHA-256 on the server's hot paths, with Bun's synchronous hasher (core's `hashToken` gives
 * the same hex through WebCrypto; a test checks they agree).
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
