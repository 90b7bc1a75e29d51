/**
 * Reading what a claim leased, on the store's own connection once the claim committed: the
 * writer thread only leases and answers ids, so the rows (an event's envelope is about 1 KB)
 * never cross between threads, and each webhook's sealed secrets are opened once per claim.
 *
 * @module
 */
import type { Database, Statement } from "bun:sqlite";
import type { StoredEvent, WebhookIntegration } from "../../../core/domain.ts";
import type { ClaimedDelivery } from "../../../core/ports/delivery_store.ts";
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

/** The deliveries named by `?1`, a JSON array of ids. */
const CLAIMED = "SELECT d.id FROM deliveries d WHERE d.id IN (SELECT value FROM json_each(?1))";

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
    `SELECT ${selectList(deliveries)} FROM deliveries WHERE id IN (${CLAIMED})
     ORDER BY next_attempt_at, id`,
  );
  const eventRows: Statement<EventRow, [string]> = db.prepare(
    `SELECT ${selectList(events)} FROM events
     WHERE id IN (SELECT d.event_id FROM deliveries d WHERE d.id IN (${CLAIMED}))`,
  );
  const webhookRows: Statement<IntegrationRow, [string]> = db.prepare(
    `SELECT ${selectList(integrations)} FROM integrations
     WHERE id IN (SELECT d.webhook_id FROM deliveries d WHERE d.id IN (${CLAIMED}))`,
  );
  return (ids, leaseUntil) => {
    if (ids.length === 0) return [];
    const list = JSON.stringify(ids);
    const eventsById = new Map<string, StoredEvent>();
    for (const row of eventRows.all(list)) eventsById.set(row.id, eventFromRow(row));
    const webhooksById = new Map<string, WebhookIntegration>();
    for (const row of webhookRows.all(list)) webhooksById.set(row.id, webhookFromRow(row, box));
    const rows = deliveryRows.all(list);
    if (rows.length !== ids.length) {
      throw new Error(`Cannot read claimed deliveries: ${ids.length} leased, ${rows.length} found`);
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
