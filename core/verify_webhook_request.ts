/**
 * Verifying a delivery from Sendeasy as a receiver gets it: the three Standard Webhooks headers
 * and the raw body in, the checked event envelope out.
 *
 * @module
 */
import type { EventEnvelope } from "./events.ts";
import {
  type VerifyWebhookOptions,
  type VerifyWebhookResult,
  verifyWebhook,
} from "./signatures.ts";

/**
 * Request headers as a receiver has them: a Fetch `Headers` (or anything with `get`), or a
 * plain object such as Node's `request.headers` (names in any case; a repeated header as an
 * array).
 *
 * @example
 * ```ts
 * const fromNode: WebhookHeaders = { "webhook-id": "evt_1", "webhook-timestamp": "1735689600" };
 * const fromFetch: WebhookHeaders = new Headers({ "webhook-id": "evt_1" });
 * ```
 */
export type WebhookHeaders =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Outcome of {@linkcode verifyWebhookRequest}: the event, or why the delivery must be refused.
 * `MISSING_HEADER` when `webhook-id`, `webhook-timestamp` or `webhook-signature` is absent;
 * `MALFORMED_BODY` when a correctly signed body is not JSON (never the case for Sendeasy's).
 *
 * @example
 * ```ts
 * const refused: WebhookVerification = { ok: false, code: "INVALID_SIGNATURE" };
 * ```
 */
export type WebhookVerification =
  | { ok: true; event: EventEnvelope }
  | {
      ok: false;
      code:
        | Extract<VerifyWebhookResult, { ok: false }>["code"]
        | "MISSING_HEADER"
        | "MALFORMED_BODY";
    };

/**
 * Checks a webhook delivery from Sendeasy and parses its event: the `webhook-timestamp` must
 * be within the tolerance of `now` (replays of old deliveries are refused) and one signature of
 * `webhook-signature` must match the secret (compared in constant time). Answer a refused
 * delivery with 401; the body is parsed only once its signature matched. During a secret
 * rotation Sendeasy signs with both secrets, so either one verifies.
 *
 * The event is parsed, not validated against {@linkcode EventEnvelope}: the signature already
 * proves it came from Sendeasy, and a newer server may add fields.
 *
 * @param headers The request's headers.
 * @param body The raw body, exactly as received (before any JSON parsing).
 * @param options The webhook's `whsec_…` secret, the current time in milliseconds, and the
 *   tolerance in seconds (default 300).
 * @returns `{ ok: true, event }` or `{ ok: false, code }`.
 * @throws {RangeError} When `toleranceSeconds` is negative or not a number.
 * @example
 * ```ts
 * const body = '{"id":"evt_01JGZ5Y8K3M9T4W7Q2R6X1V0BN","type":"message.sent"}';
 * const headers = new Headers({
 *   "webhook-id": "evt_01JGZ5Y8K3M9T4W7Q2R6X1V0BN",
 *   "webhook-timestamp": "1735689600",
 *   "webhook-signature": "v1,f5wz7FfiLcGwrv04oW5LWsA47QyEMVqgMfBLjDFSiTY=",
 * });
 * const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
 * const verified = await verifyWebhookRequest(headers, body, { secret, now: 1735689600_000 });
 * verified.ok ? verified.event.type : verified.code; // "message.sent"
 * await verifyWebhookRequest(headers, `${body} `, { secret, now: 1735689600_000 });
 * // { ok: false, code: "INVALID_SIGNATURE" }
 * ```
 */
export async function verifyWebhookRequest(
  headers: WebhookHeaders,
  body: string,
  options: VerifyWebhookOptions,
): Promise<WebhookVerification> {
  const id = header(headers, "webhook-id");
  const timestamp = header(headers, "webhook-timestamp");
  const signature = header(headers, "webhook-signature");
  if (id === undefined || timestamp === undefined || signature === undefined) {
    return { ok: false, code: "MISSING_HEADER" };
  }
  // Unix seconds as digits only: `Number()` would also take "", " 1e9 " or "0x10".
  const seconds = /^\d{1,15}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
  const verified = await verifyWebhook({ id, timestamp: seconds, body }, signature, options);
  if (!verified.ok) return verified;
  try {
    return { ok: true, event: JSON.parse(body) as EventEnvelope };
  } catch {
    return { ok: false, code: "MALFORMED_BODY" };
  }
}

/** One header's value, whatever form the headers come in; `undefined` when absent. */
function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof headers.get === "function") {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  let value = record[name];
  if (value === undefined) {
    const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === name);
    value = key === undefined ? undefined : record[key];
  }
  // A repeated header: its values as one list (signatures are space-separated).
  return typeof value === "string" ? value : value?.join(" ");
}
