/**
 * The delivery worker: claims due deliveries with a lease, posts them with bounded concurrency
 * per destination, per host and per company, with slots kept free for others (a slow receiver
 * never delays the others, and one company's hanging receivers never delay another company),
 * records every attempt, and disables webhooks that answer 410 or fail for 5 days.
 *
 * @module
 */

import type { WebhookIntegration } from "../../core/domain.ts";
import type { ClaimedDelivery } from "../../core/ports/delivery_store.ts";
import { type ClaimBounds, mayHaveMoreAfter } from "./_may_have_more.ts";
import { attemptDelivery } from "./attempt.ts";
import { WORKER_DEFAULTS, type WorkerOptions } from "./delivery_worker_options.ts";
import { DestinationSlots } from "./destination_slots.ts";
import { settleDelivery } from "./settle_delivery.ts";

/** How soon to look again for due work the last claim left alone (its bounds were full). */
const BOUND_REPOLL_MS = 100;
/**
 * Lease an attempt must have left when it starts, besides its timeout: past that, another
 * worker could claim the delivery while the attempt still runs.
 */
const LEASE_MARGIN_MS = 1_000;

/** Runs until `stop()`; several workers (in one or many processes) share the queue safely. */
export class DeliveryWorker {
  readonly #o: Required<Omit<WorkerOptions, "attempt" | "logger" | "alerts">> &
    Pick<WorkerOptions, "attempt" | "logger" | "alerts">;
  readonly #slots: DestinationSlots;
  readonly #running = new Set<Promise<void>>();
  #stopped = true;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When `#timer` fires (clock ms), or Infinity when none is set. */
  #timerAt = Number.POSITIVE_INFINITY;
  #ticking = false;
  #again = false;
  #unsubscribe: (() => void) | undefined;
  /**
   * What the last claim learnt: when it found less than it asked for, nothing else was due
   * but for the destinations it skipped or filled (`#mayHaveMore`). Until a signal or the
   * timer says otherwise, a slot freeing elsewhere claims nothing (a claim is a write).
   */
  #dry = false;
  #mayHaveMore = new Set<string>();
  /** Bumped by every signal and timer: a claim that overlapped one cannot call the store dry. */
  #wakes = 0;

  constructor(options: WorkerOptions) {
    this.#o = { ...WORKER_DEFAULTS, ...options };
    this.#slots = new DestinationSlots({ ...this.#o, reserved: this.#o.reservedSlots });
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#unsubscribe = this.#o.signal.subscribe(() => this.#wake());
    this.#wake();
  }

  /**
   * Stops claiming, and waits for the attempts in flight and for those already claimed (they
   * go out as slots free up, so no lease is left to run out).
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    this.#disarm();
    for (;;) {
      const { queued, reserved } = this.#slots.counts;
      if (this.#running.size === 0 && !this.#ticking && queued === 0 && reserved === 0) break;
      this.#startWhatMay();
      await Promise.allSettled([...this.#running]);
      if (this.#ticking || reserved > 0) await Bun.sleep(1);
    }
  }

  /**
   * Offers a slot to a delivery that is about to be written: when its destination has one
   * free now, the delivery is written already leased to this worker, which then sends it
   * straight from memory (no claim: the claim's round trip was a third of an event's way to
   * its receiver). Returns that lease, or null (the delivery waits for a claim, as usual).
   * Each lease given must be followed by {@linkcode adopt} once the write committed, or
   * {@linkcode cancel} if it did not.
   */
  reserve(webhook: WebhookIntegration): Date | null {
    if (this.#stopped || !this.#slots.reserve(webhook)) return null;
    return new Date(this.#o.attempt.now() + this.#leaseMs);
  }

  /** The write of a reserved delivery committed: it goes out now. */
  adopt(claim: ClaimedDelivery): void {
    this.#slots.unreserve(claim.webhook);
    this.#slots.enqueue(claim);
    this.#startWhatMay();
  }

  /** The write of a reserved delivery failed or wrote nothing: the slot is free again. */
  cancel(webhook: WebhookIntegration): void {
    this.#slots.unreserve(webhook);
    this.#startWhatMay();
  }

  /** New work may be due (a signal, the timer, a start): the next claim looks everywhere. */
  #wake(): void {
    this.#wakes += 1;
    this.#dry = false;
    this.kick();
  }

  /** Looks for due work now (called on signals and when an attempt frees a slot). */
  kick(): void {
    if (this.#stopped) return;
    if (this.#ticking) {
      this.#again = true;
      return;
    }
    this.#disarm();
    this.#ticking = true;
    this.#tick()
      .catch((error) => {
        this.#o.logger.error("delivery claim failed", { error: String(error) });
        // Try again after a poll interval: a failed claim must not leave the worker asleep
        // until the next signal.
        if (this.#stopped) return;
        this.#arm(this.#o.pollMs);
      })
      .finally(() => {
        this.#ticking = false;
        if (this.#again) {
          this.#again = false;
          this.kick();
        }
      });
  }

  async #tick(): Promise<void> {
    // Claims run ahead of the slots by up to one round per destination, so a freed slot
    // starts its next attempt at once instead of after a claim's round trip.
    const { inFlight, queued, reserved } = this.#slots.counts;
    const room = 2 * this.#o.maxInFlight - inFlight - queued - reserved;
    if (room > 0) {
      const wakes = this.#wakes;
      const busy = this.#slots.busy();
      const claims = await this.#o.deliveries.claimDue({
        now: new Date(this.#o.attempt.now()),
        limit: room,
        leaseMs: this.#leaseMs,
        perWebhookLimit: this.#o.perDestination,
        excludeWebhookIds: busy.webhookIds,
        perCompanyLimit: busy.perCompanyClaim,
        companyRoom: busy.companyRoom,
      });
      for (const claim of claims) this.#slots.enqueue(claim);
      this.#startWhatMay();
      // A full batch means more may be due right now.
      if (claims.length === room) this.#again = true;
      else if (wakes === this.#wakes) this.#learnDry(busy, claims);
    }
    // Another tick follows at once when more may be due or a kick came meanwhile: the timer
    // for the next due time (a query) is only needed once the worker goes quiet.
    if (!this.#again) await this.#scheduleNext();
  }

  /**
   * The claim found less than it asked for: see {@linkcode DeliveryWorker.#dry} and
   * {@linkcode mayHaveMoreAfter}.
   */
  #learnDry(busy: ClaimBounds, claims: readonly ClaimedDelivery[]): void {
    this.#dry = true;
    this.#mayHaveMore = mayHaveMoreAfter(busy, claims, this.#o.perDestination);
  }

  /**
   * A claimed delivery waits at most one round of its destination's attempts before it
   * starts, then takes one attempt: the lease covers both, with room to record it. A crashed
   * worker's claims come back after it.
   */
  get #leaseMs(): number {
    return 2 * this.#o.attempt.timeoutMs + 5_000;
  }

  async #scheduleNext(): Promise<void> {
    if (this.#stopped) return;
    const due = await this.#o.deliveries.nextDueAt();
    const now = this.#o.attempt.now();
    // Work already due that the last claim left alone belongs to destinations, hosts or
    // companies at their bound: look again soon, not in a loop of claims.
    const wait =
      due === null
        ? this.#o.pollMs
        : due.getTime() <= now
          ? Math.min(this.#o.pollMs, BOUND_REPOLL_MS)
          : Math.min(this.#o.pollMs, due.getTime() - now);
    this.#arm(wait);
  }

  /** Wakes the worker in `waitMs`, instead of any earlier plan. */
  #arm(waitMs: number): void {
    clearTimeout(this.#timer);
    this.#timerAt = this.#o.attempt.now() + waitMs;
    this.#timer = setTimeout(() => this.#wake(), waitMs);
  }

  #disarm(): void {
    clearTimeout(this.#timer);
    this.#timerAt = Number.POSITIVE_INFINITY;
  }

  /**
   * A retry was just scheduled for `at`: the worker must wake for it even when no claim or
   * signal would (a dry worker claims on nothing else). During a tick, another tick follows
   * and plans its timer from the store, which now holds the retry.
   */
  #wakeBy(at: number): void {
    if (this.#stopped) return;
    if (this.#ticking) this.#again = true;
    else if (at < this.#timerAt) this.#arm(Math.max(0, at - this.#o.attempt.now()));
  }

  /** Starts every queued delivery the limits allow. */
  #startWhatMay(): void {
    for (const [key, claim] of this.#slots.startable()) this.#launch(key, claim);
  }

  #launch(key: string, claim: ClaimedDelivery): void {
    // The slot is for the HTTP attempt only: it frees as soon as the answer is in, while the
    // settle commits (the lease keeps the delivery from being claimed again meanwhile).
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.#slots.release(claim);
      this.#startWhatMay();
      // Claim again only when this destination ran out of claimed work and may have more due:
      // otherwise a claim would skip it or find nothing, and cost a write for nothing.
      if (!this.#slots.hasQueued(key) && (!this.#dry || this.#mayHaveMore.has(key))) this.kick();
    };
    const run = this.#deliver(claim, release)
      .catch((error) =>
        this.#o.logger.error("delivery attempt failed", {
          deliveryId: claim.delivery.id,
          error: String(error),
        }),
      )
      .finally(() => {
        release();
        this.#running.delete(run);
      });
    this.#running.add(run);
  }

  async #deliver(claim: ClaimedDelivery, release: () => void): Promise<void> {
    // A delivery that waited for its company's or host's slots past the point where its attempt
    // could outlive the lease is left alone: it is claimed again once the lease ends.
    const leaseLeft = claim.leaseUntil.getTime() - this.#o.attempt.now();
    if (leaseLeft < this.#o.attempt.timeoutMs + LEASE_MARGIN_MS) {
      this.#o.logger.debug("delivery lease too short to attempt", {
        deliveryId: claim.delivery.id,
      });
      return;
    }
    let result: Awaited<ReturnType<typeof attemptDelivery>>;
    try {
      result = await attemptDelivery(this.#o.attempt, { ...claim, trigger: "scheduled" });
    } finally {
      release();
    }
    await settleDelivery(
      { ...this.#o, now: this.#o.attempt.now },
      { claim, result, onRetry: (at) => this.#wakeBy(at) },
    );
  }
}
