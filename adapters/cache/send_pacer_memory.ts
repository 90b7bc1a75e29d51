/**
 * In-process send pacer: one slot schedule per channel, for one instance (README
 * "Throughput, retries, async and scheduled sends").
 *
 * @module
 */
import type { PaceDecision, SendPacer } from "../../core/ports/send_pacer.ts";

/**
 * Keeps, per key, the time its next slot is free. A reservation takes the first free slot
 * (never before `now`) and moves the next one `intervalMs` later; a schedule whose next slot
 * has passed holds no information and is dropped when the map grows.
 */
export class MemorySendPacer implements SendPacer {
  readonly #next = new Map<string, number>();
  readonly #maxKeys: number;

  /** @param options.maxKeys bound on tracked keys; passed schedules are dropped first (default 100 000) */
  constructor(options: { maxKeys?: number } = {}) {
    this.#maxKeys = options.maxKeys ?? 100_000;
  }

  async reserve(
    key: string,
    options: { intervalMs: number; now: number; maxWaitMs: number },
  ): Promise<PaceDecision> {
    return this.reserveNow(key, options);
  }

  /** The synchronous core of `reserve` (also the Redis pacer's fallback while Redis is down). */
  reserveNow(
    key: string,
    options: { intervalMs: number; now: number; maxWaitMs: number },
  ): PaceDecision {
    const { intervalMs, now, maxWaitMs } = options;
    const slot = Math.max(now, this.#next.get(key) ?? now);
    const waitMs = slot - now;
    if (waitMs > maxWaitMs) return { ok: false, retryAfterMs: waitMs - maxWaitMs };
    if (!this.#next.has(key) && this.#next.size >= this.#maxKeys) this.#evictPassed(now);
    this.#next.set(key, slot + intervalMs);
    return { ok: true, waitMs };
  }

  #evictPassed(now: number): void {
    for (const [key, next] of this.#next) if (next <= now) this.#next.delete(key);
    if (this.#next.size >= this.#maxKeys) {
      const oldest = this.#next.keys().next();
      if (!oldest.done) this.#next.delete(oldest.value);
    }
  }
}
