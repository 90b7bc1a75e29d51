/**
 * Write operations of the suppression and contact-window stores: a suppression added or
 * removed with its `recipient.*` event in the same transaction, and a contact's last inbound
 * time kept at its latest.
 *
 * @module
 */
import type { Database, Statement } from "bun:sqlite";
import type { ChannelType } from "../../../../core/domain.ts";
import {
  buildSuppressionEvent,
  type SuppressionEventSpec,
} from "../../../../core/suppression_event.ts";
import { prepareOutboxWriter } from "../_outbox.ts";
import { selectList } from "../_statements.ts";
import { type SuppressionRow, suppressionFromRow } from "../_suppression_row.ts";
import { suppressions } from "../schema/suppressions.ts";

/** The suppression and contact writes on `db` (see {@linkcode createWriteOps}). */
export function suppressionOps(db: Database) {
  const outbox = prepareOutboxWriter(db);
  const columns = selectList(suppressions);
  const insert: Statement<
    SuppressionRow,
    [string, string, string, string, string, string | null, number]
  > = db.prepare(
    `INSERT INTO suppressions (id, company_id, channel_type, address, reason, message_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (company_id, channel_type, address) DO NOTHING
       RETURNING ${columns}`,
  );
  const byAddress: Statement<SuppressionRow, [string, string, string]> = db.prepare(
    `SELECT ${columns} FROM suppressions WHERE company_id = ? AND channel_type = ? AND address = ?`,
  );
  const deleteById: Statement<SuppressionRow, [string, string]> = db.prepare(
    `DELETE FROM suppressions WHERE company_id = ? AND id = ? RETURNING ${columns}`,
  );
  const deleteByAddress: Statement<SuppressionRow, [string, string, string]> = db.prepare(
    `DELETE FROM suppressions WHERE company_id = ? AND channel_type = ? AND address = ?
     RETURNING ${columns}`,
  );
  // Out-of-order callbacks must not move the window back: keep the later time.
  const recordInbound: Statement<unknown, [string, string, number]> = db.prepare(
    `INSERT INTO whatsapp_contacts (channel_id, contact, last_inbound_at) VALUES (?, ?, ?)
     ON CONFLICT (channel_id, contact)
     DO UPDATE SET last_inbound_at = max(last_inbound_at, excluded.last_inbound_at)`,
  );

  /** Writes the event of a change that happened; `row` is the suppression added or removed. */
  const announce = (row: SuppressionRow, event: SuppressionEventSpec | null): void => {
    if (event !== null)
      outbox.insertOutbox([buildSuppressionEvent(suppressionFromRow(row), event)]);
  };

  return {
    /** Adds the row unless its address is listed; the event only when added. */
    "suppressions.add": (
      row: SuppressionRow,
      event: SuppressionEventSpec | null,
    ): { added: boolean; row: SuppressionRow } => {
      const { id, companyId, channelType, address, reason, messageId, createdAt } = row;
      const inserted = insert.get(
        id,
        companyId,
        channelType,
        address,
        reason,
        messageId,
        createdAt,
      );
      if (inserted !== null) {
        announce(inserted, event);
        return { added: true, row: inserted };
      }
      const existing = byAddress.get(companyId, channelType, address);
      if (existing === null)
        throw new Error(`Cannot add suppression "${id}": conflict without a row`);
      return { added: false, row: existing };
    },
    "suppressions.remove": (
      companyId: string,
      id: string,
      event: SuppressionEventSpec | null,
    ): SuppressionRow | null => {
      const removed = deleteById.get(companyId, id);
      if (removed !== null) announce(removed, event);
      return removed;
    },
    "suppressions.removeOf": (
      companyId: string,
      channelType: ChannelType,
      address: string,
      event: SuppressionEventSpec | null,
    ): SuppressionRow | null => {
      const removed = deleteByAddress.get(companyId, channelType, address);
      if (removed !== null) announce(removed, event);
      return removed;
    },
    "contacts.recordInbound": (channelId: string, contact: string, atMs: number): void => {
      recordInbound.run(channelId, contact, atMs);
    },
  };
}
