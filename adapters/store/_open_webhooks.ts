/**
 * Opening the webhooks of a claim, shared by both stores: opening sealed secrets (AES-GCM)
 * is the slow part of a claim, and a claim's rows name few webhooks many times.
 *
 * @module
 */
import type { WebhookIntegration } from "../../core/domain.ts";

/**
 * Wraps `open` so that each webhook row (by id) is opened once: meant for the rows of one
 * claim, read in one transaction, so the same id is the same row.
 *
 * @example
 * ```ts
 * const webhookOf = openOncePerWebhook((row: IntegrationRow) => webhookFromRow(row, box));
 * const claims = rows.map((row) => ({ webhook: webhookOf(row.webhook), … }));
 * ```
 */
export function openOncePerWebhook<Row extends { id: string }>(
  open: (row: Row) => WebhookIntegration,
): (row: Row) => WebhookIntegration {
  const opened = new Map<string, WebhookIntegration>();
  return (row) => {
    let webhook = opened.get(row.id);
    if (webhook === undefined) {
      webhook = open(row);
      opened.set(row.id, webhook);
    }
    return webhook;
  };
}
