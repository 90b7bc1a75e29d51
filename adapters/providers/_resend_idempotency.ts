/**
 * Resend takes idempotency keys of 1–256 characters; ours (`<integration id>:<caller key>`) can
 * be longer, so a long one is replaced by its SHA-256, which stays unique per caller key.
 *
 * @module
 */

const MAX_RESEND_KEY_LENGTH = 256;

/**
 * @param key our idempotency key
 * @returns the key itself when Resend accepts it, else `sha256:<hex>` of it
 */
export async function resendIdempotencyKey(key: string): Promise<string> {
  if (key.length <= MAX_RESEND_KEY_LENGTH) return key;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
  const hex = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0"));
  return `sha256:${hex.join("")}`;
}
