/**
 * The pace of sends to one channel's provider (README "Throughput, retries, async and
 * scheduled sends"): each send reserves the next free slot, one slot per `intervalMs`, and
 * waits for it; a slot further away than the caller can wait is refused.
 *
 * @module
 */

/** A reserved slot (wait `waitMs`, then send), or a refusal with when a wait would fit. */
export type PaceDecision = { ok: true; waitMs: number } | { ok: false; retryAfterMs: number };

/**
 * One slot schedule per key (a channel). Implementations must be atomic across their users:
 * two callers never get the same slot, on one instance or, through a shared store, on all.
 */
export interface SendPacer {
  /**
   * Reserves the first free slot at or after `now` when it is at most `maxWaitMs` away; a
   * refusal reserves nothing.
   *
   * @param key the schedule (a channel id)
   * @param options.intervalMs the time between two slots (1000 / sends per second)
   * @param options.now the caller's time, ms since the epoch
   * @param options.maxWaitMs the longest the caller may wait for its slot
   */
  reserve(
    key: string,
    options: { intervalMs: number; now: number; maxWaitMs: number },
  ): Promise<PaceDecision>;
}
