/**
 * {@linkcode DeliveryStore} on SQLite: the webhook outbox claimed under leases, settled with
 * its attempt log (docs/api.md#webhooks).
 *
 * @module
 */
import type { Database, Statement } from "bun:sqlite";
import { and, asc, desc, eq, lt } from "drizzle-orm";
import { type BunSQLiteDatabase, drizzle } from "drizzle-orm/bun-sqlite";
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
import type { SecretBox } from "../../crypto/secret_box.ts";
import { type ClaimLimits, claimLimits } from "../_claim_limits.ts";
import { fetchSize, toPage } from "../_page.ts";
import { prepareClaimedReader } from "./_claimed_reader.ts";
import { attemptFromRow, deliveryFromRow, eventFromRow } from "./_delivery_rows.ts";
import { NEXT_DUE } from "./_delivery_sql.ts";
import { dateOrNull } from "./_rows.ts";
import { deliveries } from "./schema/deliveries.ts";
import { deliveryAttempts } from "./schema/delivery_attempts.ts";
import { events } from "./schema/events.ts";
import type { SqliteWriter } from "./writer/sqlite_writer.ts";

/**
 * The outbox in SQLite. Every write goes through the store's writer, so a claim runs in one
 * `BEGIN IMMEDIATE` transaction: it holds the database's write lock from its SELECT to its
 * UPDATE, and two claimers — in this process or another — never lease the same delivery.
 *
 * @example
 * ```ts
 * const store = new SqliteDeliveryStore(db, writes, box);
 * const claims = await store.claimDue({ now: new Date(), limit: 10, leaseMs: 45_000 });
 * ```
 */
export class SqliteDeliveryStore implements DeliveryStore {
  readonly #orm: BunSQLiteDatabase;
  readonly #writes: SqliteWriter;
  readonly #nextDue: Statement<{ at: number | null }, []>;
  readonly #readClaimed: ReturnType<typeof prepareClaimedReader>;

  /**
   * @param db An open, migrated connection (reads).
   * @param writes The store's writer (writes, in call order across stores).
   * @param box Opens the webhooks' bearer tokens and signing secrets.
   */
  constructor(db: Database, writes: SqliteWriter, box: SecretBox) {
    this.#orm = drizzle({ client: db });
    this.#writes = writes;
    this.#nextDue = db.prepare(NEXT_DUE);
    this.#readClaimed = prepareClaimedReader(db, box);
  }

  /**
   * Claims due deliveries webhook by webhook (at most `perWebhookLimit` each, default
   * `limit`), skipping `excludeWebhookIds`, at most `perCompanyLimit` (or the company's
   * `companyRoom`) per company, oldest `nextAttemptAt` first overall.
   *
   * @throws {RangeError} (rejects) As {@linkcode claimLimits}.
   */
  claimDue(options: ClaimDueOptions): Promise<ClaimedDelivery[]> {
    let limits: ClaimLimits;
    try {
      limits = claimLimits(options);
    } catch (error) {
      return Promise.reject(error);
    }
    const { limit, leaseMs, perWebhookLimit, perCompanyLimit } = limits;
    if (limit === 0) return Promise.resolve([]);
    const now = options.now.getTime();
    const leaseUntil = now + leaseMs;
    const claim = {
      now,
      perWebhook: Math.min(perWebhookLimit, limit),
      excludedJson: JSON.stringify(options.excludeWebhookIds ?? []),
      limit,
      leaseUntil,
      companyRoomJson: JSON.stringify(Object.fromEntries(options.companyRoom ?? [])),
      perCompany: perCompanyLimit,
    };
    // The writer leases and answers ids; the rows are read here, after COMMIT.
    return this.#writes
      .write("deliveries.claim", [claim])
      .then((ids) => this.#readClaimed(ids, new Date(leaseUntil)));
  }

  /**
   * @throws {TypeError} (rejects) When the attempt names another delivery or the outcome
   *   contradicts itself (`pending` without `nextAttemptAt`, or a final status with one).
   */
  settle(
    claim: { deliveryId: string; leaseUntil: Date },
    attempt: DeliveryAttempt,
    outcome: DeliveryOutcome,
  ): Promise<SettleResult> {
    return this.#writes.write("deliveries.settle", [claim, attempt, outcome]);
  }

  /**
   * Like {@linkcode settle} without a lease; a worker still holding one loses it.
   *
   * @throws {Error} (rejects) When the delivery does not exist.
   * @throws {TypeError} (rejects) As {@linkcode settle}.
   */
  recordManualAttempt(
    deliveryId: string,
    attempt: DeliveryAttempt,
    outcome: DeliveryOutcome,
  ): Promise<void> {
    return this.#writes.write("deliveries.recordManualAttempt", [deliveryId, attempt, outcome]);
  }

  /**
   * The earliest time {@linkcode claimDue} could return something: over pending deliveries
   * of enabled, not deleted webhooks, the latest of `nextAttemptAt` and `leaseUntil`.
   */
  nextDueAt(): Promise<Date | null> {
    return Promise.resolve(dateOrNull(this.#nextDue.get()?.at ?? null));
  }

  saveEvent(event: OutboxEvent): Promise<void> {
    return this.#writes.write("deliveries.saveEvent", [event]);
  }

  /** @throws {Error} (rejects) When the event does not exist. */
  addDeliveries(eventId: string, targets: OutboxEvent["deliveries"], at: Date): Promise<void> {
    return this.#writes.write("deliveries.add", [eventId, targets, at.getTime()]);
  }

  getEvent(companyId: string, id: string): Promise<StoredEvent | null> {
    const row = this.#orm
      .select()
      .from(events)
      .where(and(eq(events.companyId, companyId), eq(events.id, id)))
      .get();
    return Promise.resolve(row === undefined ? null : eventFromRow(row));
  }

  listEvents(
    companyId: string,
    page: PageRequest & { channelId?: string; type?: EventType },
  ): Promise<Page<StoredEvent>> {
    const rows = this.#orm
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
      .limit(fetchSize(page))
      .all();
    return Promise.resolve(toPage(rows.map(eventFromRow), page));
  }

  /** The delivery with its attempts, oldest first. */
  getDelivery(
    companyId: string,
    id: string,
  ): Promise<{ delivery: Delivery; attempts: DeliveryAttempt[] } | null> {
    const row = this.#orm
      .select()
      .from(deliveries)
      .where(and(eq(deliveries.companyId, companyId), eq(deliveries.id, id)))
      .get();
    if (row === undefined) return Promise.resolve(null);
    const attempts = this.#orm
      .select()
      .from(deliveryAttempts)
      .where(eq(deliveryAttempts.deliveryId, id))
      .orderBy(asc(deliveryAttempts.startedAt), asc(deliveryAttempts.id))
      .all();
    return Promise.resolve({
      delivery: deliveryFromRow(row),
      attempts: attempts.map(attemptFromRow),
    });
  }

  listDeliveries(
    companyId: string,
    page: PageRequest & { webhookId?: string; eventId?: string; status?: DeliveryStatus },
  ): Promise<Page<Delivery>> {
    const rows = this.#orm
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
      .limit(fetchSize(page))
      .all();
    return Promise.resolve(toPage(rows.map(deliveryFromRow), page));
  }

  /**
   * Makes the delivery `pending` and due at `at`, whatever its status (resending a succeeded
   * one is a manual resend); a lease held by a worker is dropped, so that worker cannot settle.
   */
  retryDelivery(companyId: string, id: string, at: Date): Promise<Delivery | null> {
    return this.#writes.write("deliveries.retry", [companyId, id, at.getTime()]);
  }
}
