/**
 * {@linkcode DeliveryStore} on SQLite: the webhook outbox claimed under leases, settled with
 * its attempt log (SPEC.md §4).
 *
 * @module
 */
import type { Database, Statement } from "bun:sqlite";
import { and, asc, desc, eq, lt, sql } from "drizzle-orm";
import { type BunSQLiteDatabase, drizzle } from "drizzle-orm/bun-sqlite";
import type {
  Delivery,
  DeliveryAttempt,
  DeliveryStatus,
  EventType,
  StoredEvent,
} from "../../../core/domain.ts";
import type {
  ClaimedDelivery,
  DeliveryOutcome,
  DeliveryStore,
  SettleResult,
} from "../../../core/ports/delivery_store.ts";
import type { OutboxEvent } from "../../../core/ports/message_store.ts";
import type { Page, PageRequest } from "../../../core/ports/page.ts";
import type { SecretBox } from "../../crypto/secret_box.ts";
import { fetchSize, toPage } from "../_page.ts";
import {
  attemptFromRow,
  attemptToRow,
  deliveryFromRow,
  eventFromRow,
  settleBindings,
} from "./_delivery_rows.ts";
import {
  CLAIM_CANDIDATES,
  LEASE,
  NEXT_DUE,
  SETTLE,
  SETTLE_LEASED,
  UPDATE_FAILING_SINCE,
} from "./_delivery_sql.ts";
import { type OutboxWriter, prepareOutboxWriter } from "./_outbox.ts";
import { dateOrNull, webhookFromRow } from "./_rows.ts";
import { prepareInsert } from "./_statements.ts";
import { GroupCommit } from "./group_commit.ts";
import { deliveries } from "./schema/deliveries.ts";
import { deliveryAttempts } from "./schema/delivery_attempts.ts";
import { events } from "./schema/events.ts";
import { integrations } from "./schema/integrations.ts";

type SettleRow = { webhookId: string };
type Settled = [string, number | null, number | null, string | null, number];

/**
 * The outbox in SQLite. Every write goes through the group commit, so a claim runs in one
 * `BEGIN IMMEDIATE` transaction: it holds the database's write lock from its SELECT to its
 * UPDATE, and two claimers — in this process or another — never lease the same delivery.
 *
 * @example
 * ```ts
 * const store = new SqliteDeliveryStore(db, box);
 * const claims = await store.claimDue({ now: new Date(), limit: 10, leaseMs: 45_000 });
 * ```
 */
export class SqliteDeliveryStore implements DeliveryStore {
  readonly #orm: BunSQLiteDatabase;
  readonly #box: SecretBox;
  readonly #writes: GroupCommit;
  readonly #outbox: OutboxWriter;
  readonly #insertAttempt: (row: typeof deliveryAttempts.$inferInsert) => void;
  readonly #candidates: Statement<{ id: string }, [number, number, string, number]>;
  readonly #lease: Statement<unknown, [number, string]>;
  readonly #claimed;
  readonly #settleLeased: Statement<SettleRow, [...Settled, string, number]>;
  readonly #settle: Statement<SettleRow, [...Settled, string]>;
  readonly #failingSince: Statement<{ failingSince: number | null }, [number, number, string]>;
  readonly #nextDue: Statement<{ at: number | null }, []>;
  readonly #eventCompany: Statement<{ id: string; companyId: string }, [string]>;

  /**
   * @param db An open, migrated connection.
   * @param box Opens the webhooks' bearer tokens and signing secrets.
   */
  constructor(db: Database, box: SecretBox) {
    this.#orm = drizzle({ client: db });
    this.#box = box;
    this.#writes = GroupCommit.for(db);
    this.#outbox = prepareOutboxWriter(db);
    this.#insertAttempt = prepareInsert(db, deliveryAttempts);
    this.#candidates = db.prepare(CLAIM_CANDIDATES);
    this.#lease = db.prepare(LEASE);
    this.#claimed = this.#orm
      .select({ delivery: deliveries, event: events, webhook: integrations })
      .from(deliveries)
      .innerJoin(events, eq(events.id, deliveries.eventId))
      .innerJoin(integrations, eq(integrations.id, deliveries.webhookId))
      .where(sql`${deliveries.id} IN (SELECT value FROM json_each(${sql.placeholder("ids")}))`)
      .orderBy(asc(deliveries.nextAttemptAt), asc(deliveries.id))
      .prepare();
    this.#settleLeased = db.prepare(SETTLE_LEASED);
    this.#settle = db.prepare(SETTLE);
    this.#failingSince = db.prepare(UPDATE_FAILING_SINCE);
    this.#nextDue = db.prepare(NEXT_DUE);
    this.#eventCompany = db.prepare("SELECT id, company_id AS companyId FROM events WHERE id = ?");
  }

  /**
   * Claims due deliveries webhook by webhook (at most `perWebhookLimit` each, default
   * `limit`), skipping `excludeWebhookIds`, oldest `nextAttemptAt` first overall.
   *
   * @throws {RangeError} (rejects) When `limit` is not an integer ≥ 0, `leaseMs` not an
   *   integer ≥ 1, or `perWebhookLimit` not an integer ≥ 1.
   */
  claimDue(options: {
    now: Date;
    limit: number;
    leaseMs: number;
    perWebhookLimit?: number;
    excludeWebhookIds?: readonly string[];
  }): Promise<ClaimedDelivery[]> {
    const { limit, leaseMs, perWebhookLimit = limit } = options;
    if (!isInteger(limit, 0) || !isInteger(leaseMs, 1) || !isInteger(perWebhookLimit, 1)) {
      return Promise.reject(
        new RangeError(
          `Cannot claim ${limit} deliveries (${perWebhookLimit} per webhook) for ${leaseMs} ms: limit must be an integer ≥ 0, perWebhookLimit and leaseMs integers ≥ 1`,
        ),
      );
    }
    if (limit === 0) return Promise.resolve([]);
    const now = options.now.getTime();
    const leaseUntil = now + leaseMs;
    const excluded = JSON.stringify(options.excludeWebhookIds ?? []);
    const perWebhook = Math.min(perWebhookLimit, limit);
    return this.#writes
      .write(() => {
        const ids = this.#candidates.all(now, perWebhook, excluded, limit).map((r) => r.id);
        if (ids.length === 0) return [];
        const list = JSON.stringify(ids);
        this.#lease.run(leaseUntil, list);
        return this.#claimed.all({ ids: list });
      })
      .then((rows) =>
        // Opening sealed secrets is the slow part: done after COMMIT, outside the write lock.
        rows.map((row) => ({
          delivery: deliveryFromRow(row.delivery),
          event: eventFromRow(row.event),
          webhook: webhookFromRow(row.webhook, this.#box),
          leaseUntil: new Date(leaseUntil),
        })),
      );
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
    return this.#writes.write((): SettleResult => {
      const values = settleBindings(claim.deliveryId, attempt, outcome);
      const lease = claim.leaseUntil.getTime();
      const row = this.#settleLeased.get(...values, claim.deliveryId, lease);
      if (row === null) return { ok: false, code: "LEASE_LOST" };
      return { ok: true, failingSince: this.#record(row.webhookId, attempt, outcome) };
    });
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
    return this.#writes.write(() => {
      const row = this.#settle.get(...settleBindings(deliveryId, attempt, outcome), deliveryId);
      if (row === null) {
        throw new Error(
          `Cannot record attempt "${attempt.id}": delivery "${deliveryId}" does not exist`,
        );
      }
      this.#record(row.webhookId, attempt, outcome);
    });
  }

  /**
   * The earliest time {@linkcode claimDue} could return something: over pending deliveries
   * of enabled, not deleted webhooks, the latest of `nextAttemptAt` and `leaseUntil`.
   */
  nextDueAt(): Promise<Date | null> {
    return Promise.resolve(dateOrNull(this.#nextDue.get()?.at ?? null));
  }

  saveEvent(event: OutboxEvent): Promise<void> {
    return this.#writes.write(() => this.#outbox.insertOutbox([event]));
  }

  /** @throws {Error} (rejects) When the event does not exist. */
  addDeliveries(eventId: string, targets: OutboxEvent["deliveries"], at: Date): Promise<void> {
    return this.#writes.write(() => {
      const event = this.#eventCompany.get(eventId);
      if (event === null) {
        throw new Error(`Cannot add deliveries to event "${eventId}": it does not exist`);
      }
      this.#outbox.insertDeliveries(event, targets, at.getTime());
    });
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
    return this.#writes.write(() => {
      const row = this.#orm
        .update(deliveries)
        .set({
          status: "pending",
          nextAttemptAt: at.getTime(),
          leaseUntil: null,
          updatedAt: at.getTime(),
        })
        .where(and(eq(deliveries.companyId, companyId), eq(deliveries.id, id)))
        .returning()
        .get();
      return row === undefined ? null : deliveryFromRow(row);
    });
  }

  /** Logs the attempt and moves the webhook's failing run; returns its `failingSince`. */
  #record(webhookId: string, attempt: DeliveryAttempt, outcome: DeliveryOutcome): Date | null {
    this.#insertAttempt(attemptToRow(attempt));
    const webhook = this.#failingSince.get(
      outcome.webhookSucceeded ? 1 : 0,
      attempt.startedAt.getTime(),
      webhookId,
    );
    return dateOrNull(webhook?.failingSince ?? null);
  }
}

function isInteger(value: number, min: number): boolean {
  return Number.isSafeInteger(value) && value >= min;
}
