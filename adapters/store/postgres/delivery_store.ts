/**
 * {@linkcode DeliveryStore} on Postgres: the webhook outbox shared by every worker of every
 * instance, claimed under leases with `FOR UPDATE SKIP LOCKED`, settled with its attempt log
 * (docs/api.md#webhooks).
 *
 * @module
 */
import { and, asc, desc, eq, lt } from "drizzle-orm";
import type {
  Delivery,
  DeliveryAttempt,
  DeliveryStatus,
  EventType,
  StoredEvent,
} from "../../../core/domain.ts";
import type {
  ClaimDueOptions,
  ClaimedDelivery,
  DeliveryOutcome,
  DeliveryStore,
  SettleResult,
} from "../../../core/ports/delivery_store.ts";
import type { OutboxEvent } from "../../../core/ports/message_store.ts";
import type { Page, PageRequest } from "../../../core/ports/page.ts";
import { memoizeOpen } from "../../crypto/opened_memo.ts";
import type { SecretBox } from "../../crypto/secret_box.ts";
import { fetchSize, toPage } from "../_page.ts";
import { claimDueDeliveries } from "./_delivery_claim.ts";
import { attemptFromRow, deliveryFromRow, eventFromRow } from "./_delivery_rows.ts";
import { settleLeased, settleManual } from "./_delivery_settle.ts";
import { NEXT_DUE } from "./_delivery_sql.ts";
import { deliveryRowsOf, insertOutboxRows, outboxRows } from "./_outbox.ts";
import type { PgRunner } from "./pg_runner.ts";
import { deliveries } from "./schema/deliveries.ts";
import { deliveryAttempts } from "./schema/delivery_attempts.ts";
import { events } from "./schema/events.ts";

/**
 * The outbox in Postgres. A claim leases rows with one `UPDATE … FROM (SELECT … FOR UPDATE
 * SKIP LOCKED)` statement per round, so any number of workers on any number of instances share
 * the queue and never lease the same delivery; a settle only applies while the worker's lease
 * still holds (`WHERE id = $1 AND lease_until = $2`), together with the attempt row and the
 * webhook's failing run, in one transaction.
 *
 * @example
 * ```ts
 * const store = new PostgresDeliveryStore(runner, box);
 * const claims = await store.claimDue({ now: new Date(), limit: 10, leaseMs: 45_000 });
 * ```
 */
export class PostgresDeliveryStore implements DeliveryStore {
  readonly #db: PgRunner;
  /** Opens the webhooks' secrets, remembered: claims read the same few webhooks over and over. */
  readonly #opener: Pick<SecretBox, "decrypt">;

  /**
   * @param db The pool of a migrated database, with its retry policy.
   * @param box Opens the webhooks' bearer tokens and signing secrets.
   */
  constructor(db: PgRunner, box: SecretBox) {
    this.#db = db;
    this.#opener = { decrypt: memoizeOpen((sealed) => box.decrypt(sealed)) };
  }

  /**
   * Claims due deliveries webhook by webhook (at most `perWebhookLimit` each, default
   * `limit`), skipping `excludeWebhookIds`, at most `perCompanyLimit` (or the company's
   * `companyRoom`) per company, oldest `nextAttemptAt` first overall. When
   * another claimer held some of the candidates, the claim looks again (up to 4 rounds) so it
   * still fills up while rows remain. A round whose answer was lost is retried: its leases
   * only delay those deliveries by one lease, they lose none.
   *
   * @throws {RangeError} (rejects) As {@linkcode claimDueDeliveries}.
   */
  async claimDue(options: ClaimDueOptions): Promise<ClaimedDelivery[]> {
    return await claimDueDeliveries(this.#db, this.#opener, options);
  }

  /**
   * @throws {TypeError} (rejects) When the attempt names another delivery or the outcome
   *   contradicts itself (`pending` without `nextAttemptAt`, or a final status with one).
   */
  async settle(
    claim: { deliveryId: string; leaseUntil: Date },
    attempt: DeliveryAttempt,
    outcome: DeliveryOutcome,
  ): Promise<SettleResult> {
    return await settleLeased(this.#db, claim, attempt, outcome);
  }

  /**
   * Like {@linkcode settle} without a lease; a worker still holding one loses it.
   *
   * @throws {Error} (rejects) When the delivery does not exist.
   * @throws {TypeError} (rejects) As {@linkcode settle}.
   */
  async recordManualAttempt(
    deliveryId: string,
    attempt: DeliveryAttempt,
    outcome: DeliveryOutcome,
  ): Promise<void> {
    await settleManual(this.#db, deliveryId, attempt, outcome);
  }

  /**
   * The earliest time {@linkcode claimDue} could return something: over pending deliveries
   * of enabled, not deleted webhooks, the latest of `nextAttemptAt` and `leaseUntil`.
   */
  async nextDueAt(): Promise<Date | null> {
    const [row] = (await this.#db.read((db) => db.execute(NEXT_DUE))) as unknown as Array<{
      at: Date | null;
    }>;
    return row?.at ?? null;
  }

  async saveEvent(event: OutboxEvent): Promise<void> {
    await this.#db.transaction((tx) => insertOutboxRows(tx, outboxRows([event])));
  }

  /** @throws {Error} (rejects) When the event does not exist. */
  async addDeliveries(
    eventId: string,
    targets: OutboxEvent["deliveries"],
    at: Date,
  ): Promise<void> {
    await this.#db.transaction(async (tx) => {
      const [event] = await tx
        .select({ id: events.id, companyId: events.companyId })
        .from(events)
        .where(eq(events.id, eventId));
      if (event === undefined) {
        throw new Error(`Cannot add deliveries to event "${eventId}": it does not exist`);
      }
      await insertOutboxRows(tx, {
        events: [],
        deliveries: deliveryRowsOf(event.id, event.companyId, targets, at),
      });
    });
  }

  async getEvent(companyId: string, id: string): Promise<StoredEvent | null> {
    const [row] = await this.#db.read((db) =>
      db
        .select()
        .from(events)
        .where(and(eq(events.companyId, companyId), eq(events.id, id))),
    );
    return row === undefined ? null : eventFromRow(row);
  }

  async listEvents(
    companyId: string,
    page: PageRequest & { channelId?: string; type?: EventType },
  ): Promise<Page<StoredEvent>> {
    const rows = await this.#db.read((db) =>
      db
        .select()
        .from(events)
        .where(
          and(
            eq(events.companyId, companyId),
            page.channelId === undefined ? undefined : eq(events.channelId, page.channelId),
            page.type === undefined ? undefined : eq(events.type, page.type),
            page.cursor === undefined ? undefined : lt(events.id, page.cursor),
          ),
        )
        .orderBy(desc(events.id))
        .limit(fetchSize(page)),
    );
    return toPage(rows.map(eventFromRow), page);
  }

  /** The delivery with its attempts, oldest first. */
  async getDelivery(
    companyId: string,
    id: string,
  ): Promise<{ delivery: Delivery; attempts: DeliveryAttempt[] } | null> {
    const [row] = await this.#db.read((db) =>
      db
        .select()
        .from(deliveries)
        .where(and(eq(deliveries.companyId, companyId), eq(deliveries.id, id))),
    );
    if (row === undefined) return null;
    const attempts = await this.#db.read((db) =>
      db
        .select()
        .from(deliveryAttempts)
        .where(eq(deliveryAttempts.deliveryId, id))
        .orderBy(asc(deliveryAttempts.startedAt), asc(deliveryAttempts.id)),
    );
    return { delivery: deliveryFromRow(row), attempts: attempts.map(attemptFromRow) };
  }

  async listDeliveries(
    companyId: string,
    page: PageRequest & { webhookId?: string; eventId?: string; status?: DeliveryStatus },
  ): Promise<Page<Delivery>> {
    const rows = await this.#db.read((db) =>
      db
        .select()
        .from(deliveries)
        .where(
          and(
            eq(deliveries.companyId, companyId),
            page.webhookId === undefined ? undefined : eq(deliveries.webhookId, page.webhookId),
            page.eventId === undefined ? undefined : eq(deliveries.eventId, page.eventId),
            page.status === undefined ? undefined : eq(deliveries.status, page.status),
            page.cursor === undefined ? undefined : lt(deliveries.id, page.cursor),
          ),
        )
        .orderBy(desc(deliveries.id))
        .limit(fetchSize(page)),
    );
    return toPage(rows.map(deliveryFromRow), page);
  }

  /**
   * Makes the delivery `pending` and due at `at`, whatever its status (resending a succeeded
   * one is a manual resend); a lease held by a worker is dropped, so that worker cannot settle.
   */
  async retryDelivery(companyId: string, id: string, at: Date): Promise<Delivery | null> {
    const [row] = await this.#db.write(
      (db) =>
        db
          .update(deliveries)
          .set({ status: "pending", nextAttemptAt: at, leaseUntil: null, updatedAt: at })
          .where(and(eq(deliveries.companyId, companyId), eq(deliveries.id, id)))
          .returning(),
      // Fixed values: setting them twice ends as setting them once.
      { idempotent: true },
    );
    return row === undefined ? null : deliveryFromRow(row);
  }
}
