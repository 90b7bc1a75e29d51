/**
 * The delivery worker's bookkeeping by destination (SPEC.md §4 "bounded concurrency per
 * destination"): attempts in flight, claimed deliveries waiting for a slot, and slots promised
 * to deliveries still being written. Pure counting: the worker starts what it is given.
 *
 * @module
 */
import type { WebhookIntegration } from "../../core/domain.ts";
import type { ClaimedDelivery } from "../../core/ports/delivery_store.ts";
import { destinationKey } from "../../core/union_rule.ts";

/**
 * @example
 * ```ts
 * const slots = new DestinationSlots({ perDestination: 8, maxInFlight: 128 });
 * slots.enqueue(claim);
 * for (const [key, next] of slots.startable()) launch(key, next); // later: slots.release(key)
 * ```
 */
export class DestinationSlots {
  readonly #perDestination: number;
  readonly #maxInFlight: number;
  readonly #inFlightBy = new Map<string, number>();
  /** Claimed deliveries waiting for a slot (at most one claim's worth per destination). */
  readonly #ready = new Map<string, ClaimedDelivery[]>();
  /** Slots promised to deliveries being written right now. */
  readonly #reservedBy = new Map<string, number>();
  readonly #webhookIdsBy = new Map<string, Set<string>>();
  #inFlight = 0;
  #queued = 0;
  #reserved = 0;

  constructor(limits: { perDestination: number; maxInFlight: number }) {
    this.#perDestination = limits.perDestination;
    this.#maxInFlight = limits.maxInFlight;
  }

  /** Attempts in flight, claimed deliveries waiting, and reserved slots. */
  get counts(): { inFlight: number; queued: number; reserved: number } {
    return { inFlight: this.#inFlight, queued: this.#queued, reserved: this.#reserved };
  }

  /** Takes a slot for a delivery about to be written, if its destination has one free now. */
  reserve(webhook: WebhookIntegration): boolean {
    const key = this.#destinationOf(webhook);
    const taken =
      (this.#inFlightBy.get(key) ?? 0) +
      (this.#ready.get(key)?.length ?? 0) +
      (this.#reservedBy.get(key) ?? 0);
    if (taken >= this.#perDestination) return false;
    if (this.#inFlight + this.#queued + this.#reserved >= this.#maxInFlight) return false;
    increment(this.#reservedBy, key);
    this.#reserved += 1;
    return true;
  }

  /** Gives back a slot taken by {@linkcode reserve}. */
  unreserve(webhook: WebhookIntegration): void {
    decrement(this.#reservedBy, destinationKey(webhook));
    this.#reserved -= 1;
  }

  /** Queues a claimed delivery for its destination. */
  enqueue(claim: ClaimedDelivery): void {
    const key = this.#destinationOf(claim.webhook);
    let queue = this.#ready.get(key);
    if (queue === undefined) {
      queue = [];
      this.#ready.set(key, queue);
    }
    queue.push(claim);
    this.#queued += 1;
  }

  /**
   * Takes every queued delivery that may start now (its destination and the worker have a
   * free slot), counting it in flight; each must be given back with {@linkcode release}.
   */
  startable(): [key: string, claim: ClaimedDelivery][] {
    const start: [string, ClaimedDelivery][] = [];
    for (const [key, queue] of this.#ready) {
      while (
        queue.length > 0 &&
        this.#inFlight < this.#maxInFlight &&
        (this.#inFlightBy.get(key) ?? 0) < this.#perDestination
      ) {
        this.#queued -= 1;
        this.#inFlight += 1;
        increment(this.#inFlightBy, key);
        start.push([key, queue.shift() as ClaimedDelivery]);
      }
      if (queue.length === 0) this.#ready.delete(key);
    }
    return start;
  }

  /** An attempt to `key` is over: its slot is free. */
  release(key: string): void {
    this.#inFlight -= 1;
    decrement(this.#inFlightBy, key);
  }

  /** Whether `key` still has claimed deliveries waiting. */
  hasQueued(key: string): boolean {
    return this.#ready.has(key);
  }

  /**
   * The destinations that still have claimed deliveries waiting, or deliveries being written
   * for them, and their webhooks: the next claim skips them, so a destination's queue never
   * holds more than one claim's worth.
   */
  busy(): { keys: string[]; webhookIds: string[] } {
    const keys = [...new Set([...this.#ready.keys(), ...this.#reservedBy.keys()])];
    const webhookIds: string[] = [];
    // Every webhook naming those destinations, across companies.
    for (const key of keys) webhookIds.push(...(this.#webhookIdsBy.get(key) ?? []));
    return { keys, webhookIds };
  }

  /** The webhook's destination key, remembered with the webhook (for claim exclusions). */
  #destinationOf(webhook: WebhookIntegration): string {
    const key = destinationKey(webhook);
    let known = this.#webhookIdsBy.get(key);
    if (known === undefined) {
      known = new Set();
      this.#webhookIdsBy.set(key, known);
    }
    known.add(webhook.id);
    return key;
  }
}

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function decrement(counts: Map<string, number>, key: string): void {
  const left = (counts.get(key) ?? 1) - 1;
  if (left === 0) counts.delete(key);
  else counts.set(key, left);
}
