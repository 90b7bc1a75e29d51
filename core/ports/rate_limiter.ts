/**
 * Per-token rate limits (docs/api.md#rate-limits: default 50 requests/s, bursts of 100).
 *
 * @module
 */
import type { RateLimit } from "../domain.ts";

export type RateDecision = { ok: true } | { ok: false; retryAfterMs: number };

/** A token bucket per key; implementations must be atomic across their users. */
export interface RateLimiter {
  take(key: string, limit: RateLimit, now: number): Promise<RateDecision>;
}
