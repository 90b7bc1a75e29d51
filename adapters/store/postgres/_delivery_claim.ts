/**
 * The Postgres delivery store's claim: leasing rounds with `FOR UPDATE SKIP LOCKED`, then the
 * leased deliveries read back with their events and webhooks (docs/api.md#webhooks).
 *
 * @module
 */
import { asc, eq, inArray } from "drizzle-orm";
import type { ClaimDueOptions, ClaimedDelivery } from "../../../core/ports/delivery_store.ts";
import type { SecretBox } from "../../crypto/secret_box.ts";
import { claimLimits } from "../_claim_limits.ts";
import { deliveryFromRow, eventFromRow } from "./_delivery_rows.ts";
import { type ClaimRoundRow, claimRound } from "./_delivery_sql.ts";
import { webhookFromRow } from "./_rows.ts";
import type { PgRunner } from "./pg_runner.ts";
import { deliveries } from "./schema/deliveries.ts";
import { events } from "./schema/events.ts";
import { integrations } from "./schema/integrations.ts";

/** Claim rounds at most per `claimDue` (a round only repeats when another claimer interfered). */
const MAX_ROUNDS = 4;

/**
 * Claims due deliveries as `PostgresDeliveryStore.claimDue` documents.
 *
 * @throws {RangeError} (rejects) As {@linkcode claimLimits}.
 */
export async function claimDueDeliveries(
  db: PgRunner,
  opener: Pick<SecretBox, "decrypt">,
  options: ClaimDueOptions,
): Promise<ClaimedDelivery[]> {
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
    // Safe to repeat (a lost round's leases only delay those deliveries by one lease), so
    // retried even when an answer was lost.
    const [row] = (await db.write((db) => db.execute(statement), {
      idempotent: true,
    })) as unknown as ClaimRoundRow[];
    const ids = row?.ids ?? [];
    claimed.push(...ids);
    count(perWebhook, row?.webhooks ?? []);
    count(perCompany, row?.companies ?? []);
    // Every candidate leased: nothing else is due. Fewer: another claimer held some.
    if (ids.length >= (row?.candidates ?? 0)) break;
  }
  if (claimed.length === 0) return [];
  return await readClaimed(db, opener, claimed, leaseUntil);
}

/** The leased deliveries with their events and webhooks, oldest `nextAttemptAt` first. */
async function readClaimed(
  db: PgRunner,
  opener: Pick<SecretBox, "decrypt">,
  claimed: readonly string[],
  leaseUntil: Date,
): Promise<ClaimedDelivery[]> {
  const rows = await db.read((db) =>
    db
      .select({ delivery: deliveries, event: events, webhook: integrations })
      .from(deliveries)
      .innerJoin(events, eq(events.id, deliveries.eventId))
      .innerJoin(integrations, eq(integrations.id, deliveries.webhookId))
      .where(inArray(deliveries.id, [...claimed]))
      .orderBy(asc(deliveries.nextAttemptAt), asc(deliveries.id)),
  );
  return rows.map((row) => ({
    delivery: deliveryFromRow(row.delivery),
    event: eventFromRow(row.event),
    webhook: webhookFromRow(row.webhook, opener),
    leaseUntil,
  }));
}

/** Adds one to each key's count, once per occurrence. */
function count(counts: Map<string, number>, keys: readonly string[]): void {
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
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
