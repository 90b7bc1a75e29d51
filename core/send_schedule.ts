/**
 * When an asynchronous send goes (README "Throughput, retries, async and scheduled sends"):
 * `sendAt` (ISO-8601, at most 30 days ahead) schedules it, and a temporary failure is tried
 * again on a backoff for up to 24 hours after the message was queued.
 *
 * @module
 */
import type { ErrorDetail } from "./domain.ts";

/** How far ahead `sendAt` may be. */
export const MAX_SCHEDULE_AHEAD_MS: number = 30 * 24 * 60 * 60 * 1000;
/** How long after it was queued a send is still tried again. */
export const SEND_RETRY_WINDOW_MS: number = 24 * 60 * 60 * 1000;
/** Seconds before each new try of a send that failed for a while; the last repeats. */
export const SEND_BACKOFF_SECONDS: readonly number[] = Object.freeze([
  5, 30, 120, 600, 1800, 3600, 7200, 14400,
]);

// A date and a time with seconds and a zone (`Z` or an offset), as RFC 3339 writes them.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Reads a payload's `sendAt`: a time in the past or now sends at once.
 *
 * @param value the field's value as sent
 * @param now the current time, ms since the epoch
 * @returns the time in ms since the epoch, or the problem at `/sendAt`
 * @example
 * checkSendAt("2027-01-01T09:00:00Z", Date.parse("2026-12-24T00:00:00Z")); // { ok: true, at: 1798794000000 }
 */
export function checkSendAt(
  value: unknown,
  now: number,
): { ok: true; at: number } | { ok: false; detail: ErrorDetail } {
  const refuse = (message: string) => ({
    ok: false as const,
    detail: { path: "/sendAt", message },
  });
  const at = typeof value === "string" && ISO_INSTANT.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(at)) {
    return refuse("must be an ISO-8601 time with a zone, e.g. 2027-01-01T09:00:00Z");
  }
  if (at - now > MAX_SCHEDULE_AHEAD_MS) return refuse("must be at most 30 days ahead");
  return { ok: true, at: Math.max(at, now) };
}

/**
 * When a send that failed temporarily is tried again, or `null` once its tries span 24 hours:
 * the backoff's waits (without jitter) are summed, so the decision needs no stored first-try
 * time and a scheduled send gets its 24 hours from its first try.
 *
 * @param attempts the tries made so far (≥ 1)
 * @param options.now the time of the failure
 * @param options.random a uniform number in [0, 1) for ±20 % jitter
 * @param options.retryAfterMs the provider's own wait, when it named one (used when longer)
 * @returns the next try's time in ms since the epoch, or null
 * @example
 * nextSendTry(1, { now: 0, random: 0.5, retryAfterMs: null }); // 5000
 * nextSendTry(13, { now: 0, random: 0.5, retryAfterMs: null }); // null
 */
export function nextSendTry(
  attempts: number,
  options: { now: number; random: number; retryAfterMs: number | null },
): number | null {
  let waited = 0;
  for (let n = 1; n <= attempts; n++) waited += backoffMs(n);
  if (waited > SEND_RETRY_WINDOW_MS) return null;
  const jittered = Math.round(backoffMs(attempts) * (0.8 + 0.4 * options.random));
  return options.now + Math.max(jittered, options.retryAfterMs ?? 0);
}

/** The wait after the `attempts`-th try. */
function backoffMs(attempts: number): number {
  const index = Math.min(Math.max(attempts, 1), SEND_BACKOFF_SECONDS.length) - 1;
  return (SEND_BACKOFF_SECONDS[index] ?? 5) * 1000;
}
