/**
 * A send at its channel's pace (README "Throughput, retries, async and scheduled sends"): the
 * send waits for its channel's next free slot, up to the send's budget
 * (`SENDEASY_SEND_QUEUE_MS`), and a provider that answers with its own rate limit is asked
 * again after its `Retry-After` while the budget lasts, with the very same request (so the same
 * provider idempotency key).
 *
 * @module
 */
import type { Channel } from "../../core/domain.ts";
import type { Clock } from "../../core/ports/clock.ts";
import type { ProviderResult } from "../../core/ports/providers.ts";
import type { SendPacer } from "../../core/ports/send_pacer.ts";
import { sendIntervalMs } from "../../core/send_rate.ts";

/** What pacing needs. */
export interface PaceDeps {
  pacer: SendPacer;
  clock: Clock;
  /** Waits `ms` (a timer in production). */
  sleep?: (ms: number) => Promise<void>;
}

/** A turn taken (the send may go now), or how long until one would fit the budget. */
export type Turn = { ok: true } | { ok: false; retryAfterMs: number };

/** When a provider's 429 names no delay, wait this long (or one slot, when longer). */
const DEFAULT_PROVIDER_WAIT_MS = 1_000;

const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Reserves the channel's next slot and waits for it, unless it lies past `deadline`.
 *
 * @param deps the pacer and clock
 * @param request the channel and the time (ms since the epoch) the send may wait until
 * @returns whether the send may go now
 */
export async function takeTurn(
  deps: PaceDeps,
  request: { channel: Channel; deadline: number },
): Promise<Turn> {
  const intervalMs = sendIntervalMs(request.channel);
  if (intervalMs === null) return { ok: true };
  const now = deps.clock.now();
  const maxWaitMs = Math.max(0, request.deadline - now);
  const decision = await deps.pacer.reserve(request.channel.id, { intervalMs, now, maxWaitMs });
  if (!decision.ok) return decision;
  if (decision.waitMs > 0) await (deps.sleep ?? timer)(decision.waitMs);
  return { ok: true };
}

/**
 * Calls `send`, and calls it again after the provider's `Retry-After` (and a new turn) as long
 * as the provider answers with its rate limit and the wait ends before `deadline`.
 *
 * @param deps the pacer and clock
 * @param request the channel, the deadline and the call to repeat (the same request each time)
 * @returns the last answer: a rate-limited one when the budget ran out
 */
export async function sendWithinBudget(
  deps: PaceDeps,
  request: { channel: Channel; deadline: number; send: () => Promise<ProviderResult> },
): Promise<ProviderResult> {
  const { channel, deadline } = request;
  for (;;) {
    const result = await request.send();
    if (result.ok || result.rateLimited === undefined) return result;
    const waitMs = providerWaitMs(channel, result.rateLimited.retryAfterMs);
    if (deps.clock.now() + waitMs > deadline) return result;
    await (deps.sleep ?? timer)(waitMs);
    const turn = await takeTurn(deps, { channel, deadline });
    if (!turn.ok) return result;
  }
}

/** The wait before asking a provider again after its 429. */
export function providerWaitMs(channel: Channel, retryAfterMs: number | null): number {
  if (retryAfterMs !== null) return retryAfterMs;
  return Math.max(DEFAULT_PROVIDER_WAIT_MS, sendIntervalMs(channel) ?? 0);
}
