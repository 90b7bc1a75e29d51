/**
 * What an operator watches, read from the store (so every instance reports the same values):
 * the delivery backlog, disabled webhooks and sends waiting for their provider.
 *
 * @module
 */

/** Why a webhook is disabled: its destination answered 410, it kept failing, or by hand. */
export type DisabledReason = "gone" | "failing" | "manual";

/** One reading of the store. */
export interface OpsStats {
  /** The earliest next attempt of a pending delivery to an enabled webhook; null when none. */
  earliestPendingAt: Date | null;
  /** Disabled (not deleted) webhooks, by reason. */
  disabledWebhooks: Readonly<Record<DisabledReason, number>>;
  /** Outbound messages still `queued` (written before the provider answered). */
  queuedMessages: number;
}

/** Reads {@linkcode OpsStats}. */
export interface OpsStatsReader {
  read(): Promise<OpsStats>;
}
