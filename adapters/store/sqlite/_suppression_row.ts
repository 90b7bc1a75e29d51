/**
 * A suppression row of the SQLite store and its domain value.
 *
 * @module
 */
import type { Suppression } from "../../../core/domain.ts";
import type { suppressions } from "./schema/suppressions.ts";

/** A `suppressions` row as selected. */
export type SuppressionRow = typeof suppressions.$inferSelect;

/** The domain value of a row. */
export function suppressionFromRow(row: SuppressionRow): Suppression {
  return {
    id: row.id,
    companyId: row.companyId,
    channelType: row.channelType,
    address: row.address,
    reason: row.reason,
    messageId: row.messageId,
    createdAt: new Date(row.createdAt),
  };
}

/** The row of a suppression, as inserted. */
export function suppressionRow(suppression: Suppression): SuppressionRow {
  return {
    id: suppression.id,
    companyId: suppression.companyId,
    channelType: suppression.channelType,
    address: suppression.address,
    reason: suppression.reason,
    messageId: suppression.messageId,
    createdAt: suppression.createdAt.getTime(),
  };
}
