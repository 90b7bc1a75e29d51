/**
 * {@linkcode DeliveryStore} on Postgres: the webhook outbox shared by every worker of every
 * instance, claimed under leases with `FOR UPDATE SKIP LOCKED`, settled with its attempt log
 * (docs/api.md#webhooks).
 *
 * @module
 */
import { and, asc, desc, eq, inArray, lt, sql } from "drizzle-orm";
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
import { claimLimits } from "../_claim_limits.ts";
import { fetchSize, toPage } from "../_page.ts";
import {
  attemptFromRow,
  attemptToRow,
  deliveryFromRow,
  eventFromRow,
  settledColumns,
} from "./_delivery_rows.ts";
import { type ClaimRoundRow, claimRound, NEXT_DUE } from "./_delivery_sql.ts";
import { deliveryRowsOf, insertOutboxRows, outboxRows } from "./_outbox.ts";
import { webhookFromRow } from "./_rows.ts";
import { AmbiguousCommitError, type PgExecutor, type PgRunner } from "./pg_runner.ts";
import { deliveries } from "./schema/deliveries.ts";
import { deliveryAttempts } from "./schema/delivery_attempts.ts";
import { events } from "./schema/events.ts";
import { integrations } from "./schema/integrations.ts";

/** Claim rounds at most per `claimDue` (a round only repeats when another claimer interfered). */
const MAX_ROUNDS = 4;

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
   * @throws {RangeError} (rejects) As {@linkcode claimLimits}.
   */
  async claimDue(options: ClaimDueOptions): Promise<ClaimedDelivery[]> {
    const { limit, leaseMs, perWebhookLimit, perCompanyLimit } = claimLimits(options);
    if (limit === 0) return [];
    const leaseUntil = new Date(options.now.getTime() + leaseMs);
    const claimed: string[] = [];
    const perWebhook = new Map<string, number>();
    const perCompany = new Map<string, number>();
    for (let round = 0; round < MAX_ROUNDS && claimed.length < limit; round++) {
      const statement = claimRound({
        now: options.now,
        leaseUntil,
        limit: limit - claimed.length,
        perWebhook: Math.min(perWebhookLimit, limit),
        excluded: options.excludeWebhookIds ?? [],
        already: perWebhook,
        ...companyRoomLeft(perCompanyLimit, options.companyRoom, perCompany),
      });
      // Safe to repeat (see above), so retried even when an answer was lost.
      const [row] = (await this.#db.write((db) => db.execute(statement), {
        idempotent: true,
      })) as unknown as ClaimRoundRow[];
      const ids = row?.ids ?? [];
      claimed.push(...ids);
      for (const webhookId of row?.webhooks ?? []) {
        perWebhook.set(webhookId, (perWebhook.get(webhookId) ?? 0) + 1);
      }
      for (const companyId of row?.companies ?? []) {
        perCompany.set(companyId, (perCompany.get(companyId) ?? 0) + 1);
      }
      // Every candidate leased: nothing else is due. Fewer: another claimer held some.
      if (ids.length >= (row?.candidates ?? 0)) break;
    }
    if (claimed.length === 0) return [];
    const rows = await this.#db.read((db) =>
      db
        .select({ delivery: deliveries, event: events, webhook: integrations })
        .from(deliveries)
        .innerJoin(events, eq(events.id, deliveries.eventId))
        .innerJoin(integrations, eq(integrations.id, deliveries.webhookId))
        .where(inArray(deliveries.id, claimed))
        .orderBy(asc(deliveries.nextAttemptAt), asc(deliveries.id)),
    );
    return rows.map((row) => ({
      delivery: deliveryFromRow(row.delivery),
      event: eventFromRow(row.event),
      webhook: webhookFromRow(row.webhook, this.#opener),
      leaseUntil,
    }));
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
    const set = settledColumns(claim.deliveryId, attempt, outcome);
    for (let lookups = 0; ; lookups++) {
      try {
        return await this.#db.transaction(async (tx): Promise<SettleResult> => {
          const [row] = await tx
            .update(deliveries)
            .set({ ...set, attempts: sql`${deliveries.attempts} + 1` })
            .where(
              and(eq(deliveries.id, claim.deliveryId), eq(deliveries.leaseUntil, claim.leaseUntil)),
            )
            .returning({ webhookId: deliveries.webhookId });
          if (row === undefined) return { ok: false, code: "LEASE_LOST" };
          return { ok: true, failingSince: await record(tx, row.webhookId, attempt, outcome) };
        });
      } catch (error) {
        if (!(error instanceof AmbiguousCommitError) || lookups >= 2) throw error;
        // The attempt row tells whether that COMMIT happened; if not, the lease still holds.
        const failingSince = await this.#committedAttempt(attempt.id);
        if (failingSince !== undefined) return { ok: true, failingSince };
      }
    }
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
    const set = settledColumns(deliveryId, attempt, outcome);
    for (let lookups = 0; ; lookups++) {
      try {
        await this.#db.transaction(async (tx) => {
          const [row] = await tx
            .update(deliveries)
            .set({ ...set, attempts: sql`${deliveries.attempts} + 1` })
            .where(eq(deliveries.id, deliveryId))
            .returning({ webhookId: deliveries.webhookId });
          if (row === undefined) {
            throw new Error(
              `Cannot record attempt "${attempt.id}": delivery "${deliveryId}" does not exist`,
            );
          }
          await record(tx, row.webhookId, attempt, outcome);
        });
        return;
      } catch (error) {
        if (!(error instanceof AmbiguousCommitError) || lookups >= 2) throw error;
        if ((await this.#committedAttempt(attempt.id)) !== undefined) return;
      }
    }
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

  /**
   * After an ambiguous COMMIT: the webhook's `failingSince` when the attempt was stored
   * (that transaction committed), `undefined` when it was not.
   */
  async #committedAttempt(attemptId: string): Promise<Date | null | undefined> {
    const [row] = await this.#db.read((db) =>
      db
        .select({ failingSince: integrations.failingSince })
        .from(deliveryAttempts)
        .innerJoin(deliveries, eq(deliveries.id, deliveryAttempts.deliveryId))
        .innerJoin(integrations, eq(integrations.id, deliveries.webhookId))
        .where(eq(deliveryAttempts.id, attemptId)),
    );
    return row === undefined ? undefined : row.failingSince;
  }
}

/**
 * Logs the attempt and moves the webhook's failing run: a success ends it, a failure starts
 * one unless one is running (docs/api.md#webhooks: 5 days of failures disable the webhook).
 *
 * @returns The webhook's `failingSince` afterwards.
 */
async function record(
  tx: PgExecutor,
  webhookId: string,
  attempt: DeliveryAttempt,
  outcome: DeliveryOutcome,
): Promise<Date | null> {
  await tx.insert(deliveryAttempts).values(attemptToRow(attempt));
  const [webhook] = await tx
    .update(integrations)
    .set({
      failingSince: outcome.webhookSucceeded
        ? null
        : sql`coalesce(${integrations.failingSince}, ${attempt.startedAt})`,
    })
    .where(eq(integrations.id, webhookId))
    .returning({ failingSince: integrations.failingSince });
  return webhook?.failingSince ?? null;
}

/** Each company's room for the next round: its room (or the default) less what earlier rounds took. */
function companyRoomLeft(
  perCompanyLimit: number,
  room: ReadonlyMap<string, number> | undefined,
  taken: ReadonlyMap<string, number>,
): { perCompany: number; companyRoom: Map<string, number> } {
  const left = new Map(room);
  for (const [companyId, count] of taken) {
    left.set(companyId, Math.max(0, (left.get(companyId) ?? perCompanyLimit) - count));
  }
  return { perCompany: perCompanyLimit, companyRoom: left };
}
