/**
 * The delivery worker (SPEC.md §4): claims due deliveries with a lease, posts them with
 * bounded concurrency per destination (a slow receiver never delays the others), records
 * every attempt, and disables webhooks that answer 410 or fail for 5 days.
 *
 * @module
 */

import type { WebhookIntegration } from "../../core/domain.ts";
import type { ClaimedDelivery, DeliveryStore } from "../../core/ports/delivery_store.ts";
import type { IntegrationStore } from "../../core/ports/integration_store.ts";
import type { WorkSignal } from "../../core/ports/work_signal.ts";
import { disableDecision } from "../../core/retry_schedule.ts";
import { destinationKey } from "../../core/union_rule.ts";
import type { Logger } from "../logger.ts";
import type { WebhookDirectory } from "../services/webhook_directory.ts";
import { type AttemptDeps, attemptDelivery } from "./attempt.ts";

export interface WorkerOptions {
  deliveries: DeliveryStore;
  integrations: IntegrationStore;
  webhooks: WebhookDirectory;
  signal: WorkSignal;
  attempt: AttemptDeps;
  logger: Logger;
  /** Attempts in flight to one destination at once (default 8). */
  perDestination?: number;
  /** Attempts in flight on this worker (default 128). */
  maxInFlight?: number;
  /** Longest sleep between claims when nothing signals (default 1 000 ms). */
  pollMs?: number;
}

/** Runs until `stop()`; several workers (in one or many processes) share the queue safely. */
export class DeliveryWorker {
  readonly #o: Required<Omit<WorkerOptions, "attempt" | "logger">> &
    Pick<WorkerOptions, "attempt" | "logger">;
  readonly #inFlightByDestination = new Map<string, number>();
  readonly #running = new Set<Promise<void>>();
  /** Claimed deliveries waiting for a slot, by destination (at most one claim's worth each). */
  readonly #ready = new Map<string, ClaimedDelivery[]>();
  #readyCount = 0;
  /** Slots promised to deliveries being written right now (see {@linkcode reserve}). */
  readonly #reserved = new Map<string, number>();
  #reservedCount = 0;
  #inFlight = 0;
  #stopped = true;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #ticking = false;
  #again = false;
  #unsubscribe: (() => void) | undefined;

  constructor(options: WorkerOptions) {
    this.#o = { perDestination: 8, maxInFlight: 128, pollMs: 1_000, ...options };
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#unsubscribe = this.#o.signal.subscribe(() => this.kick());
    this.kick();
  }

  /**
   * Stops claiming, and waits for the attempts in flight and for those already claimed (they
   * go out as slots free up, so no lease is left to run out).
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    clearTimeout(this.#timer);
    while (
      this.#running.size > 0 ||
      this.#ticking ||
      this.#readyCount > 0 ||
      this.#reservedCount > 0
    ) {
      this.#pumpAll();
      await Promise.allSettled([...this.#running]);
      if (this.#ticking || this.#reservedCount > 0) await Bun.sleep(1);
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
    if (this.#stopped) return null;
    const key = this.#destinationOf(webhook);
    const taken =
      (this.#inFlightByDestination.get(key) ?? 0) +
      (this.#ready.get(key)?.length ?? 0) +
      (this.#reserved.get(key) ?? 0);
    if (taken >= this.#o.perDestination) return null;
    if (this.#inFlight + this.#readyCount + this.#reservedCount >= this.#o.maxInFlight) return null;
    this.#reserved.set(key, (this.#reserved.get(key) ?? 0) + 1);
    this.#reservedCount += 1;
    return new Date(this.#o.attempt.now() + this.#leaseMs);
  }

  /** The write of a reserved delivery committed: it goes out now. */
  adopt(claim: ClaimedDelivery): void {
    this.#unreserve(destinationKey(claim.webhook));
    this.#enqueue(claim);
  }

  /** The write of a reserved delivery failed or wrote nothing: the slot is free again. */
  cancel(webhook: WebhookIntegration): void {
    this.#unreserve(destinationKey(webhook));
    this.#pumpAll();
  }

  #unreserve(key: string): void {
    const left = (this.#reserved.get(key) ?? 1) - 1;
    if (left === 0) this.#reserved.delete(key);
    else this.#reserved.set(key, left);
    this.#reservedCount -= 1;
  }

  /** Looks for due work now (called on signals and when an attempt frees a slot). */
  kick(): void {
    if (this.#stopped) return;
    if (this.#ticking) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#ticking = true;
    this.#tick()
      .catch((error) => {
        this.#o.logger.error("delivery claim failed", { error: String(error) });
        // Try again after a poll interval: a failed claim must not leave the worker asleep
        // until the next signal.
        if (this.#stopped) return;
        clearTimeout(this.#timer);
        this.#timer = setTimeout(() => this.kick(), this.#o.pollMs);
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
    // Claims run ahead of the slots by up to one round per destination (see #ready), so a
    // freed slot starts its next attempt at once instead of after a claim's round trip.
    const room = 2 * this.#o.maxInFlight - this.#inFlight - this.#readyCount - this.#reservedCount;
    if (room > 0) {
      const now = this.#o.attempt.now();
      const claims = await this.#o.deliveries.claimDue({
        now: new Date(now),
        limit: room,
        leaseMs: this.#leaseMs,
        perWebhookLimit: this.#o.perDestination,
        excludeWebhookIds: this.#queuedWebhookIds(),
      });
      for (const claim of claims) this.#enqueue(claim);
      // A full batch means more may be due right now.
      if (claims.length === room) this.#again = true;
    }
    // Another tick follows at once when more may be due or a kick came meanwhile: the timer
    // for the next due time (a query) is only needed once the worker goes quiet.
    if (!this.#again) await this.#scheduleNext();
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
    const wait =
      due === null
        ? this.#o.pollMs
        : Math.max(0, Math.min(this.#o.pollMs, due.getTime() - this.#o.attempt.now()));
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.kick(), wait);
  }

  /**
   * Webhooks of the destinations that still have claimed deliveries waiting, or deliveries
   * being written for them: the next claim skips them, so a destination's queue never holds
   * more than one claim's worth.
   */
  #queuedWebhookIds(): string[] {
    const ids: string[] = [];
    const busy = new Set([...this.#ready.keys(), ...this.#reserved.keys()]);
    // Every webhook naming those destinations, across companies.
    for (const key of busy) ids.push(...(this.#webhookIdsByDestination.get(key) ?? []));
    return ids;
  }

  readonly #webhookIdsByDestination = new Map<string, Set<string>>();

  /** Queues a claimed delivery for its destination and starts what the limits allow. */
  #enqueue(claim: ClaimedDelivery): void {
    const key = this.#destinationOf(claim.webhook);
    let queue = this.#ready.get(key);
    if (queue === undefined) {
      queue = [];
      this.#ready.set(key, queue);
    }
    queue.push(claim);
    this.#readyCount += 1;
    this.#pump(key, queue);
  }

  /** The webhook's destination key, remembered with the webhook (for claim exclusions). */
  #destinationOf(webhook: WebhookIntegration): string {
    const key = destinationKey(webhook);
    let known = this.#webhookIdsByDestination.get(key);
    if (known === undefined) {
      known = new Set();
      this.#webhookIdsByDestination.set(key, known);
    }
    known.add(webhook.id);
    return key;
  }

  /** Starts queued deliveries of `key` while it and the worker have free slots. */
  #pump(key: string, queue: ClaimedDelivery[]): void {
    while (
      queue.length > 0 &&
      this.#inFlight < this.#o.maxInFlight &&
      (this.#inFlightByDestination.get(key) ?? 0) < this.#o.perDestination
    ) {
      this.#readyCount -= 1;
      this.#launch(key, queue.shift() as ClaimedDelivery);
    }
    if (queue.length === 0) this.#ready.delete(key);
  }

  #pumpAll(): void {
    for (const [key, queue] of this.#ready) this.#pump(key, queue);
  }

  #launch(key: string, claim: ClaimedDelivery): void {
    this.#inFlight += 1;
    this.#inFlightByDestination.set(key, (this.#inFlightByDestination.get(key) ?? 0) + 1);
    // The slot is for the HTTP attempt only: it frees as soon as the answer is in, while the
    // settle commits (the lease keeps the delivery from being claimed again meanwhile).
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.#inFlight -= 1;
      const left = (this.#inFlightByDestination.get(key) ?? 1) - 1;
      if (left === 0) this.#inFlightByDestination.delete(key);
      else this.#inFlightByDestination.set(key, left);
      this.#pumpAll();
      // Claim again only when this destination ran out of claimed work: while its queue
      // holds some, a claim would skip it anyway and cost a query for nothing.
      if (!this.#ready.has(key)) this.kick();
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
    let result: Awaited<ReturnType<typeof attemptDelivery>>;
    try {
      result = await attemptDelivery(this.#o.attempt, { ...claim, trigger: "scheduled" });
    } finally {
      release();
    }
    const settled = await this.#o.deliveries.settle(
      { deliveryId: claim.delivery.id, leaseUntil: claim.leaseUntil },
      result.attempt,
      result.outcome,
    );
    if (!settled.ok) {
      this.#o.logger.warn("delivery lease lost", { deliveryId: claim.delivery.id });
      return;
    }
    const reason = disableDecision({
      ...(result.attempt.statusCode === null ? {} : { status: result.attempt.statusCode }),
      failingSince: result.outcome.webhookSucceeded
        ? null
        : (settled.failingSince?.getTime() ?? null),
      now: this.#o.attempt.now(),
    });
    if (reason !== null) await this.#disable(claim, reason);
  }

  async #disable(claim: ClaimedDelivery, reason: "gone" | "failing"): Promise<void> {
    const { webhook } = claim;
    await this.#o.integrations.updateIntegration(
      webhook.companyId,
      webhook.id,
      { enabled: false, disabledReason: reason },
      new Date(this.#o.attempt.now()),
    );
    this.#o.webhooks.invalidate(webhook.companyId);
    this.#o.logger.warn("webhook disabled", { webhookId: webhook.id, reason });
  }
}
