/**
 * The webhook outbox as the delivery worker and the admin API see it: events, deliveries and
 * their attempts (docs/api.md#webhooks). Events and deliveries are written by `MessageStore` in the same
 * transaction as the change that caused them; this port claims and settles them.
 *
 * @module
 */
import type {
  Delivery,
  DeliveryAttempt,
  DeliveryStatus,
  EventType,
  StoredEvent,
  WebhookIntegration,
} from "../domain.ts";
import type { OutboxEvent } from "./message_store.ts";
import type { Page, PageRequest } from "./page.ts";

/** A claimed delivery with what the worker needs to send it. */
export interface ClaimedDelivery {
  delivery: Delivery;
  event: StoredEvent;
  webhook: WebhookIntegration;
  /** The lease this claim holds; settling needs it, so a worker whose lease ran out cannot. */
  leaseUntil: Date;
}

/** How a delivery stands after an attempt. */
export interface DeliveryOutcome {
  status: DeliveryStatus;
  /** When to try again (`status: "pending"`), else `null`. */
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  /** Whether the destination answered 2xx: resets or starts the webhook's failing run. */
  webhookSucceeded: boolean;
}

/** What settling returned: whether the lease still held, and the webhook's failing run. */
export type SettleResult =
  | { ok: true; failingSince: Date | null }
  | { ok: false; code: "LEASE_LOST" };

/** What {@linkcode DeliveryStore.claimDue} claims: how many, for how long, how spread out. */
export interface ClaimDueOptions {
  now: Date;
  limit: number;
  leaseMs: number;
  /** At most this many deliveries of any one webhook per claim (no head-of-line blocking). */
  perWebhookLimit?: number;
  /** Webhooks whose destination is saturated on this worker: claim none of theirs. */
  excludeWebhookIds?: readonly string[];
  /**
   * At most this many deliveries of any one company per claim (default `limit`), unless the
   * company has its own entry in `companyRoom` (0: none of its deliveries), so one tenant's
   * backlog never fills a claim.
   */
  perCompanyLimit?: number;
  /** Per-company room left on this worker, by company id (see `perCompanyLimit`). */
  companyRoom?: ReadonlyMap<string, number>;
}

export interface DeliveryStore {
  /**
   * Claims up to `limit` due deliveries atomically across workers: `pending`,
   * `nextAttemptAt <= now`, no live lease, and an enabled, not deleted webhook.
   * Sets `leaseUntil = now + leaseMs`. Oldest `nextAttemptAt` first.
   *
   * @throws {RangeError} (rejects) When `limit` is not an integer ≥ 0, or `leaseMs`,
   *   `perWebhookLimit` or `perCompanyLimit` not an integer ≥ 1.
   */
  claimDue(options: ClaimDueOptions): Promise<ClaimedDelivery[]>;
  /**
   * Records the attempt and the delivery's new state, and updates the webhook's
   * `failingSince` (set on the first failure of a run, cleared by a success), in one
   * transaction, only if the delivery still holds `leaseUntil`.
   */
  settle(
    claim: { deliveryId: string; leaseUntil: Date },
    attempt: DeliveryAttempt,
    outcome: DeliveryOutcome,
  ): Promise<SettleResult>;
  /** Records a manual attempt (`integration.test`, or a retry run at once) without a lease. */
  recordManualAttempt(
    deliveryId: string,
    attempt: DeliveryAttempt,
    outcome: DeliveryOutcome,
  ): Promise<void>;
  /**
   * When `claimDue` could next find work, for the worker's sleep: over pending deliveries of
   * enabled, not deleted webhooks, the earliest `max(nextAttemptAt, leaseUntil)` (a leased
   * delivery is not due before its lease runs out); `null` when there are none.
   */
  nextDueAt(): Promise<Date | null>;

  /** Writes an event and its deliveries (test events and replays) in one transaction. */
  saveEvent(event: OutboxEvent): Promise<void>;
  /** Adds deliveries of an existing event (replay to today's targets). */
  addDeliveries(eventId: string, deliveries: OutboxEvent["deliveries"], at: Date): Promise<void>;

  getEvent(companyId: string, id: string): Promise<StoredEvent | null>;
  listEvents(
    companyId: string,
    page: PageRequest & { channelId?: string; type?: EventType },
  ): Promise<Page<StoredEvent>>;
  getDelivery(
    companyId: string,
    id: string,
  ): Promise<{ delivery: Delivery; attempts: DeliveryAttempt[] } | null>;
  listDeliveries(
    companyId: string,
    page: PageRequest & { webhookId?: string; eventId?: string; status?: DeliveryStatus },
  ): Promise<Page<Delivery>>;
  /** Makes a delivery due now again (`pending`, lease cleared); null when not found. */
  retryDelivery(companyId: string, id: string, at: Date): Promise<Delivery | null>;
}
