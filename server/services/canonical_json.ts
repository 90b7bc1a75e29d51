/**
 * A stable fingerprint of a JSON value: two bodies that differ only in key order or
 * white space are "the same body" for idempotency.
 *
 * @module
 */

/**
 * SHA-256 hex of the value serialized with sorted object keys.
 *
 * @example
 * await canonicalJsonHash({ b: 1, a: 2 }) === await canonicalJsonHash({ a: 2, b: 1 }); // true
 */
export async function canonicalJsonHash(value: unknown): Promise<string> {
  const hasher = new Bun.CryptoHasher("sha256");
  hasher.update(canonicalJson(value));
  return hasher.digest("hex");
}

/** Serializes with object keys sorted at every depth. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.keys(value)
    .sort()
    .map(
      (key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`,
    );
  return `{${entries.join(",")}}`;
}
