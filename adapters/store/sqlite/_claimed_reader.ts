/**
 * Reading what a claim leased, on the store's own connection once the claim committed: the
 * writer thread only leases and answers ids, so the rows (an event's envelope is about 1 KB)
 * never cross between threads; a webhook's row is read once per claim, and its sealed secrets
 * are opened once and remembered.
 *
 * @module
 */
import type { Database, Statement } from "bun:sqlite";
import { getTableName } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { StoredEvent, WebhookIntegration } from "../../../core/domain.ts";
import type { ClaimedDelivery } from "../../../core/ports/delivery_store.ts";
import { memoizeOpen } from "../../crypto/opened_memo.ts";
import type { SecretBox } from "../../crypto/secret_box.ts";
import {
  type DeliveryRow,
  deliveryFromRow,
  type EventRow,
  eventFromRow,
} from "./_delivery_rows.ts";
import { type IntegrationRow, webhookFromRow } from "./_rows.ts";
import { selectList } from "./_statements.ts";
import { deliveries } from "./schema/deliveries.ts";
import { events } from "./schema/events.ts";
import { integrations } from "./schema/integrations.ts";

/** The rows of `table` whose id is in `?1`, a JSON array of ids. */
const byIds = (table: SQLiteTable) =>
  `SELECT ${selectList(table)} FROM "${getTableName(table)}" WHERE id IN (SELECT value FROM json_each(?1))`;

/**
 * Prepares the reads of claimed deliveries on `db`.
 *
 * @returns A function giving the claims of `ids` (just leased until `leaseUntil`), in due
 *   order, each with its event and its webhook (secrets opened).
 * @throws {Error} (when called) If a delivery, its event or its webhook is missing: the
 *   claim leased them in a transaction that committed, and foreign keys hold them.
 */
export function prepareClaimedReader(
  db: Database,
  box: SecretBox,
): (ids: readonly string[], leaseUntil: Date) => ClaimedDelivery[] {
  const deliveryRows: Statement<DeliveryRow, [string]> = db.prepare(
    `${byIds(deliveries)} ORDER BY next_attempt_at, id`,
  );
  const eventRows: Statement<EventRow, [string]> = db.prepare(byIds(events));
  const webhookRows: Statement<IntegrationRow, [string]> = db.prepare(byIds(integrations));
  const opener = { decrypt: memoizeOpen((sealed) => box.decrypt(sealed)) };
  return (ids, leaseUntil) => {
    if (ids.length === 0) return [];
    const rows = deliveryRows.all(JSON.stringify(ids));
    if (rows.length !== ids.length) {
      throw new Error(`Cannot read claimed deliveries: ${ids.length} leased, ${rows.length} found`);
    }
    const distinct = (key: "eventId" | "webhookId") =>
      JSON.stringify([...new Set(rows.map((row) => row[key]))]);
    const eventsById = new Map<string, StoredEvent>();
    for (const row of eventRows.all(distinct("eventId"))) {
      eventsById.set(row.id, eventFromRow(row));
    }
    const webhooksById = new Map<string, WebhookIntegration>();
    for (const row of webhookRows.all(distinct("webhookId"))) {
      webhooksById.set(row.id, webhookFromRow(row, opener));
    }
    return rows.map((row) => {
      const event = eventsById.get(row.eventId);
      const webhook = webhooksById.get(row.webhookId);
      if (event === undefined || webhook === undefined) {
        throw new Error(`Cannot read claimed delivery "${row.id}": its event or webhook is gone`);
      }
      return { delivery: deliveryFromRow(row), event, webhook, leaseUntil };
    });
  };
}
