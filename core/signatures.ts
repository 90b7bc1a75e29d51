/**
 * Standard Webhooks signing (docs/api.md#webhooks, docs/api.md#webhooks): the
 * `webhook-signature` header of every delivery, and its verification for receivers and tests.
 * Interoperates with the reference `standardwebhooks` library.
 *
 * @module
 */
import type { RandomBytes } from "./ports/random.ts";

/**
 * What is signed: `webhook-id`, `webhook-timestamp` (unix seconds) and the raw body.
 *
 * @example
 * ```ts
 * const message: WebhookMessage = {
 *   id: "evt_01JGZ5Y8K3M9T4W7Q2R6X1V0BN", // the event id, sent again on every retry
 *   timestamp: 1735689600,
 *   body: '{"type":"message.sent"}',
 * };
 * ```
 */
export interface WebhookMessage {
  id: string;
  /** Unix time in seconds, as sent in `webhook-timestamp`. */
  timestamp: number;
  body: string;
}

/** Options of {@linkcode verifyWebhook}. */
export interface VerifyWebhookOptions {
  /** The `whsec_…` secret (a bare base64 key without the prefix is accepted too). */
  secret: string;
  /** Current time in milliseconds since the epoch. */
  now: number;
  /** Allowed clock skew either way, in seconds. Default 300 (the reference library's). */
  toleranceSeconds?: number;
}

/** Outcome of {@linkcode verifyWebhook}. */
export type VerifyWebhookResult =
  | { ok: true }
  | {
      ok: false;
      code:
        | "INVALID_SIGNATURE"
        | "TIMESTAMP_OUT_OF_TOLERANCE"
        | "MALFORMED_SECRET"
        | "MALFORMED_HEADER";
    };

const SECRET_PREFIX = "whsec_";
const SECRET_BYTES = 32;
const DEFAULT_TOLERANCE_SECONDS = 300;
const CANONICAL_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const encoder = new TextEncoder();

/**
 * Imported HMAC keys by secret, so a busy webhook does not re-import its key on every delivery.
 * Bounded, least recently used first out; holds promises so concurrent first uses share one import.
 */
const KEY_CACHE_LIMIT = 256;
const keyCache = new Map<string, Promise<CryptoKey>>();

/**
 * Makes a new webhook signing secret: `whsec_` + base64 of 32 random bytes.
 *
 * @param random A cryptographically secure byte source.
 * @returns The secret, 50 characters long.
 * @throws {RangeError} When `random` does not return exactly 32 bytes (a broken port).
 * @example
 * ```ts
 * const secret = generateWebhookSecret((n) => crypto.getRandomValues(new Uint8Array(n)));
 * secret.startsWith("whsec_"); // true
 * ```
 */
export function generateWebhookSecret(random: RandomBytes): string {
  const bytes = random(SECRET_BYTES);
  if (bytes.length !== SECRET_BYTES) {
    throw new RangeError(
      `Cannot generate webhook secret: random source gave ${bytes.length} bytes, not ${SECRET_BYTES}`,
    );
  }
  return SECRET_PREFIX + encodeBase64(bytes);
}

/**
 * Signs a webhook message with every given secret: the `webhook-signature` header value,
 * `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` per secret, space-separated. During a
 * secret rotation pass both secrets so receivers on either one accept the delivery.
 *
 * @param message The event id, unix-seconds timestamp and raw body, exactly as sent.
 * @param secrets The `whsec_…` secrets to sign with, current first.
 * @returns The header value.
 * @throws {RangeError} When `secrets` is empty or `message.timestamp` is not a non-negative integer.
 * @throws {TypeError} When a secret is not valid base64 after `whsec_` (stored secrets come from
 * {@linkcode generateWebhookSecret}, so this is corrupt data).
 * @example
 * ```ts
 * await signWebhook(
 *   { id: "evt_01JGZ5Y8K3M9T4W7Q2R6X1V0BN", timestamp: 1735689600, body: '{"type":"message.sent"}' },
 *   ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
 * ); // "v1,OYo5jQYajGlicVXD+6ihE/dv/55zFp6aBZI7tlcxqPM="
 * ```
 */
export async function signWebhook(
  message: WebhookMessage,
  secrets: readonly string[],
): Promise<string> {
  const keys = signingKeys(message, secrets);
  const content = encoder.encode(signedContent(message));
  const signatures = await Promise.all(
    keys.map(async ({ secret, key }) => {
      const mac = await crypto.subtle.sign("HMAC", await importKey(secret, key), content);
      return `v1,${encodeBase64(new Uint8Array(mac))}`;
    }),
  );
  return signatures.join(" ");
}

/**
 * HMAC-SHA256 of `content` (UTF-8) under `key`, in standard base64 with padding: a host's
 * synchronous primitive for {@linkcode signWebhookWith}.
 */
export type HmacSha256Base64 = (key: Uint8Array<ArrayBuffer>, content: string) => string;

/**
 * {@linkcode signWebhook} with a synchronous HMAC the host provides: the same header, checks
 * and errors, without WebCrypto's asynchronous round trip per signature (a server's delivery
 * worker signs every attempt, and the round trip cost more than the HMAC itself).
 *
 * @param hmac The host's HMAC-SHA256 in base64.
 * @param message As for {@linkcode signWebhook}.
 * @param secrets As for {@linkcode signWebhook}.
 * @returns The header value, identical to {@linkcode signWebhook}'s.
 * @throws As {@linkcode signWebhook} rejects.
 * @example
 * ```ts
 * // The host's own HMAC-SHA256 in base64, here Bun's.
 * const hostHmac: HmacSha256Base64 = (key, content) =>
 *   new Bun.CryptoHasher("sha256", key).update(content).digest("base64");
 * signWebhookWith(
 *   hostHmac,
 *   { id: "evt_01JGZ5Y8K3M9T4W7Q2R6X1V0BN", timestamp: 1735689600, body: '{"type":"message.sent"}' },
 *   ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
 * ); // "v1,OYo5jQYajGlicVXD+6ihE/dv/55zFp6aBZI7tlcxqPM="
 * ```
 */
export function signWebhookWith(
  hmac: HmacSha256Base64,
  message: WebhookMessage,
  secrets: readonly string[],
): string {
  const content = signedContent(message);
  return signingKeys(message, secrets)
    .map(({ key }) => `v1,${hmac(key, content)}`)
    .join(" ");
}

/** The checks both signers make, and the decoded key of each secret. */
function signingKeys(
  message: WebhookMessage,
  secrets: readonly string[],
): { secret: string; key: Uint8Array<ArrayBuffer> }[] {
  if (secrets.length === 0) throw new RangeError("Cannot sign webhook: no signing secret given");
  if (!Number.isSafeInteger(message.timestamp) || message.timestamp < 0) {
    throw new RangeError(
      `Cannot sign webhook "${message.id}": timestamp ${message.timestamp} is not unix seconds`,
    );
  }
  return secrets.map((secret) => {
    const key = decodeSecret(secret);
    if (key === null) {
      throw new TypeError(`Cannot sign webhook "${message.id}": a signing secret is malformed`);
    }
    return { secret, key };
  });
}

/** Standard Webhooks' signed content: `id.timestamp.body`. */
function signedContent(message: WebhookMessage): string {
  return `${message.id}.${message.timestamp}.${message.body}`;
}

/**
 * Checks a `webhook-signature` header against one secret, the way a receiver does: the
 * timestamp must be within the tolerance of `now`, and one `v1` signature of the header must
 * match (compared in constant time). Signatures of other versions are skipped.
 *
 * @param message The `webhook-id`, `webhook-timestamp` (parsed) and raw body as received.
 * @param signatureHeader The `webhook-signature` header: `v1,<base64>` entries, space-separated.
 * @param options The secret, the current time and the tolerance.
 * @returns `{ ok: true }`, or `{ ok: false, code }`: `MALFORMED_SECRET` (checked first),
 * `MALFORMED_HEADER` (blank header, an entry without `version,value`, or a timestamp that is
 * not an integer), `TIMESTAMP_OUT_OF_TOLERANCE`, then `INVALID_SIGNATURE`.
 * @throws {RangeError} When `toleranceSeconds` is negative or not a number.
 * @example
 * ```ts
 * const message = {
 *   id: "evt_01JGZ5Y8K3M9T4W7Q2R6X1V0BN",
 *   timestamp: 1735689600,
 *   body: '{"type":"message.sent"}',
 * };
 * const header = "v1,OYo5jQYajGlicVXD+6ihE/dv/55zFp6aBZI7tlcxqPM=";
 * const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
 * await verifyWebhook(message, header, { secret, now: 1735689600_000 }); // { ok: true }
 * await verifyWebhook(message, header, { secret, now: 1735699600_000 });
 * // { ok: false, code: "TIMESTAMP_OUT_OF_TOLERANCE" }
 * ```
 */
export async function verifyWebhook(
  message: WebhookMessage,
  signatureHeader: string,
  options: VerifyWebhookOptions,
): Promise<VerifyWebhookResult> {
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (!(tolerance >= 0)) {
    throw new RangeError(`Cannot verify webhook: tolerance ${tolerance} s is not a duration`);
  }
  const key = decodeSecret(options.secret);
  if (key === null) return { ok: false, code: "MALFORMED_SECRET" };
  const candidates = parseSignatureHeader(signatureHeader);
  if (candidates === null || !Number.isSafeInteger(message.timestamp)) {
    return { ok: false, code: "MALFORMED_HEADER" };
  }
  const nowSeconds = Math.floor(options.now / 1000);
  if (Math.abs(nowSeconds - message.timestamp) > tolerance) {
    return { ok: false, code: "TIMESTAMP_OUT_OF_TOLERANCE" };
  }
  const expected = encoder.encode(await hmacBase64(options.secret, key, message));
  for (const { version, value } of candidates) {
    if (version === "v1" && timingSafeEqual(encoder.encode(value), expected)) return { ok: true };
  }
  return { ok: false, code: "INVALID_SIGNATURE" };
}

/** Splits `v1,abc v1,def` into entries; `null` when blank or an entry is not `version,value`. */
function parseSignatureHeader(header: string): { version: string; value: string }[] | null {
  const entries = header.split(" ").filter((entry) => entry !== "");
  if (entries.length === 0) return null;
  const parsed: { version: string; value: string }[] = [];
  for (const entry of entries) {
    const comma = entry.indexOf(",");
    if (comma <= 0 || comma === entry.length - 1) return null;
    parsed.push({ version: entry.slice(0, comma), value: entry.slice(comma + 1) });
  }
  return parsed;
}

/** The HMAC key bytes of a secret: base64 after an optional `whsec_`; `null` if not canonical base64 or empty. */
function decodeSecret(secret: string): Uint8Array<ArrayBuffer> | null {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (encoded === "" || !CANONICAL_BASE64.test(encoded)) return null;
  return Uint8Array.from(atob(encoded), (char) => char.charCodeAt(0));
}

async function hmacBase64(
  secret: string,
  keyBytes: Uint8Array<ArrayBuffer>,
  message: WebhookMessage,
): Promise<string> {
  const content = encoder.encode(signedContent(message));
  const mac = await crypto.subtle.sign("HMAC", await importKey(secret, keyBytes), content);
  return encodeBase64(new Uint8Array(mac));
}

function importKey(secret: string, keyBytes: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  const cached = keyCache.get(secret);
  if (cached !== undefined) {
    keyCache.delete(secret);
    keyCache.set(secret, cached);
    return cached;
  }
  const imported = crypto.subtle.importKey(
    "raw",
    keyBytes,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  keyCache.set(secret, imported);
  if (keyCache.size > KEY_CACHE_LIMIT) {
    const oldest = keyCache.keys().next().value;
    if (oldest !== undefined) keyCache.delete(oldest);
  }
  return imported;
}

/** Compares without an early exit, so timing does not reveal how many leading bytes matched. */
function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
