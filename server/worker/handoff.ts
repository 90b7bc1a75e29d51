/**
 * Deliveries handed to this instance's worker by the write that creates them: each one whose
 * destination has a free slot is written already leased, and goes out from memory as soon as
 * the write is durable, without waiting for a claim.
 *
 * @module
 */
import type { WebhookIntegration } from "../../core/domain.ts";
import type { ClaimedDelivery } from "../../core/ports/delivery_store.ts";
import type { OutboxEvent } from "../../core/ports/message_store.ts";
import type { WebhookDirectory } from "../services/webhook_directory.ts";
import type { DeliveryWorker } from "./delivery_worker.ts";

/** An outbox ready to write, and what to do once the write settled. */
export interface PreparedOutbox {
  /** The events to write: deliveries the worker took carry their lease. */
  events: OutboxEvent[];
  /** Deliveries left for a claim (by this or another instance's worker). */
  unleased: number;
  /** After the write: committed, the leased deliveries go out; otherwise their slots free up. */
  settle(committed: boolean): void;
}

/**
 * @example
 * ```ts
 * const prepared = await handoff.prepare(companyId, events);
 * try {
 *   await store.saveMessage(message, prepared.events);
 * } catch (error) {
 *   prepared.settle(false);
 *   throw error;
 * }
 * prepared.settle(true);
 * ```
 */
export class DeliveryHandoff {
  readonly #worker: DeliveryWorker;
  readonly #webhooks: WebhookDirectory;

  constructor(worker: DeliveryWorker, webhooks: WebhookDirectory) {
    this.#worker = worker;
    this.#webhooks = webhooks;
  }

  /** Leases, for the worker, each delivery of `events` whose destination has a free slot. */
  async prepare(companyId: string, events: readonly OutboxEvent[]): Promise<PreparedOutbox> {
    const total = events.reduce((n, e) => n + e.deliveries.length, 0);
    if (total === 0) return { events: [...events], unleased: 0, settle: () => undefined };
    const byId = new Map((await this.#webhooks.forCompany(companyId)).map((w) => [w.id, w]));
    const taken: ClaimedDelivery[] = [];
    const prepared = events.map(({ event, deliveries }) => ({
      event,
      deliveries: deliveries.map(([deliveryId, webhookId]) => {
        const webhook = byId.get(webhookId);
        const lease = webhook === undefined ? null : this.#worker.reserve(webhook);
        if (webhook === undefined || lease === null) return [deliveryId, webhookId] as const;
        taken.push(claimOf(event, deliveryId, webhook, lease));
        return [deliveryId, webhookId, lease.getTime()] as const;
      }),
    }));
    return {
      events: prepared,
      unleased: total - taken.length,
      settle: (committed) => {
        for (const claim of taken) {
          if (committed) this.#worker.adopt(claim);
          else this.#worker.cancel(claim.webhook);
        }
      },
    };
  }
}

/** The claim the worker would have got from the store for this new delivery. */
function claimOf(
  event: OutboxEvent["event"],
  deliveryId: string,
  webhook: WebhookIntegration,
  leaseUntil: Date,
): ClaimedDelivery {
  return {
    delivery: {
      id: deliveryId,
      companyId: event.companyId,
      eventId: event.id,
      webhookId: webhook.id,
      status: "pending",
      attempts: 0,
      nextAttemptAt: event.createdAt,
      leaseUntil,
      lastStatusCode: null,
      lastError: null,
      createdAt: event.createdAt,
      updatedAt: event.createdAt,
    },
    event,
    webhook,
    leaseUntil,
  };
}
