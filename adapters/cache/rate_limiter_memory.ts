/**
 * In-process token-bucket rate limiter (docs/api.md#rate-limits: 50 requests/s, bursts of 100 by default).
 *
 * @module
 */
import type { RateLimit } from "../../core/domain.ts";
import type { RateDecision, RateLimiter } from "../../core/ports/rate_limiter.ts";

/** One bucket per key; a bucket refills continuously at `perSecond` up to `burst`. */
export class MemoryRateLimiter implements RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #maxKeys: number;

  /** @param options.maxKeys bound on tracked keys; full buckets are dropped first (default 100 000) */
  constructor(options: { maxKeys?: number } = {}) {
    this.#maxKeys = options.maxKeys ?? 100_000;
  }

  async take(key: string, limit: RateLimit, now: number): Promise<RateDecision> {
    return this.takeNow(key, limit, now);
  }

  /** The synchronous core of `take`, for callers on a hot path. */
  takeNow(key: string, limit: RateLimit, now: number): RateDecision {
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      if (this.#buckets.size >= this.#maxKeys) this.#evictFull(now, limit);
      bucket = { tokens: limit.burst, at: now };
      this.#buckets.set(key, bucket);
    } else {
      const refill = ((now - bucket.at) / 1000) * limit.perSecond;
      bucket.tokens = Math.min(limit.burst, bucket.tokens + Math.max(0, refill));
      bucket.at = Math.max(bucket.at, now);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    const retryAfterMs = Math.ceil(((1 - bucket.tokens) / limit.perSecond) * 1000);
    return { ok: false, retryAfterMs };
  }

  /** A bucket that refilled to its burst holds no information: forget it. */
  #evictFull(now: number, limit: RateLimit): void {
    for (const [key, bucket] of this.#buckets) {
      const refilled = bucket.tokens + ((now - bucket.at) / 1000) * limit.perSecond;
      if (refilled >= limit.burst) this.#buckets.delete(key);
    }
    if (this.#buckets.size >= this.#maxKeys) {
      const oldest = this.#buckets.keys().next();
      if (!oldest.done) this.#buckets.delete(oldest.value);
    }
  }
}
