/**
 * The provider answers every real adapter builds: success, `NO_FUNDS` (→ 402) and `FAILURE`
 * (→ 502) with the provider's own code and words, and the wait that stops when the server's
 * provider timeout aborts the send.
 *
 * @module
 */
import type { ProviderName } from "../../core/domain.ts";
import type { ProviderResult } from "../../core/ports/providers.ts";

/** The fault code of a send the server's timeout cut short (same as `dispatchSend`'s). */
export const TIMEOUT_CODE = "timeout";
/** The fault code when the provider could not be reached at all. */
export const NETWORK_CODE = "network_error";

/** A refusal or failure: 502 `PROVIDER_ERROR` with `provider: { name, code, message }`. */
export function failure(name: ProviderName, code: string, message: string): ProviderResult {
  return { ok: false, code: "FAILURE", fault: { name, code, message } };
}

/**
 * The provider refused for its own rate limit: nothing was sent, and the same send (with the
 * same idempotency key) may go again after `retryAfterMs`.
 */
export function rateLimited(
  name: ProviderName,
  fault: { code: string; message: string },
  retryAfterMs: number | null,
): ProviderResult {
  return {
    ok: false,
    code: "FAILURE",
    fault: { name, code: fault.code, message: fault.message },
    temporary: true,
    rateLimited: { retryAfterMs },
  };
}

/**
 * A `Retry-After` header in ms: delay-seconds or an HTTP date (RFC 9110 §10.2.3); `null` when
 * absent or unreadable.
 *
 * @param header the header's value
 * @param now the current time, ms since the epoch (for a date)
 */
export function retryAfterMsOf(header: string | null | undefined, now: number): number | null {
  if (header === null || header === undefined || header.trim() === "") return null;
  const text = header.trim();
  if (/^[0-9]+(\.[0-9]+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** The provider account is out of funds or quota: 402, nothing was sent. */
export function noFunds(name: ProviderName, code: string, message: string): ProviderResult {
  return { ok: false, code: "NO_FUNDS", fault: { name, code, message } };
}

/** The send was aborted by the server's provider timeout: a later try may succeed. */
export function timedOut(name: ProviderName): ProviderResult {
  const message = "The provider did not answer before the send timed out";
  return {
    ok: false,
    code: "FAILURE",
    fault: { name, code: TIMEOUT_CODE, message },
    temporary: true,
  };
}

/** What `settle` resolves to: the call's value, its error, or that the signal fired first. */
export type Settled<T> =
  | { state: "done"; value: T }
  | { state: "error"; error: unknown }
  | { state: "aborted" };

/**
 * Waits for `call` unless `signal` aborts first; never rejects. The adapter stops waiting at
 * once on abort even when the client underneath cannot be cancelled.
 *
 * @param call the provider call, already started
 * @param signal the send's abort signal, if any
 * @returns how the call ended
 */
export function settle<T>(call: Promise<T>, signal: AbortSignal | undefined): Promise<Settled<T>> {
  const outcome = call.then(
    (value): Settled<T> => ({ state: "done", value }),
    (error: unknown): Settled<T> => ({ state: "error", error }),
  );
  if (signal === undefined) return outcome;
  if (signal.aborted) return Promise.resolve({ state: "aborted" });
  return new Promise((resolve) => {
    const onAbort = () => resolve({ state: "aborted" });
    signal.addEventListener("abort", onAbort, { once: true });
    void outcome.then((settled) => {
      signal.removeEventListener("abort", onAbort);
      resolve(settled);
    });
  });
}

/** The fault code when the address check refused the provider's host: nothing was sent. */
export const ADDRESS_REFUSED_CODE = "address_refused";

/**
 * The provider could not be reached: `address_refused` when the address check refused its
 * host (the message names the host, never an address), `network_error` otherwise.
 */
export function unreachable(name: ProviderName, error: unknown): ProviderResult {
  const refused = error instanceof Error && error.name === "OutboundRefusedError";
  if (refused) return failure(name, ADDRESS_REFUSED_CODE, describeError(error));
  return temporaryFailure(name, NETWORK_CODE, describeError(error));
}

/** A failure a later try may not meet (a 5xx, a dropped connection): `temporary`. */
export function temporaryFailure(
  name: ProviderName,
  code: string,
  message: string,
): ProviderResult {
  return { ok: false, code: "FAILURE", fault: { name, code, message }, temporary: true };
}

/** A short description of an unexpected error for the caller's `provider.message`. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
