/**
 * Housekeeping an operator runs on the whole database (README "Retention", "Recovering
 * deliveries"): job leases, deleting old rows in batches, re-queuing failed deliveries.
 *
 * @module
 */

/**
 * The steps of a retention run, in the order foreign keys need: settled deliveries (with their
 * attempts), then events left without deliveries, then messages left without events (with
 * their provider reports), then provider reports that never found their message.
 */
export type PurgeStep = "deliveries" | "events" | "messages" | "reports";

/** What one retention batch did. */
export interface PurgeBatch {
  /** Rows of the step's table deleted. */
  deleted: number;
  /** Rows deleted with them: the deliveries' attempts, the messages' provider reports. */
  related: number;
  /** Where the next batch of this step starts, or `null` when the step is done. */
  next: string | null;
}

export interface OperationsStore {
  /**
   * Takes or renews the job's lease for `holder` until `until` when it is free (never taken,
   * run out at `now`) or already `holder`'s; answers whether `holder` holds it now.
   */
  acquireJobLease(job: { name: string; holder: string; now: Date; until: Date }): Promise<boolean>;
  /**
   * One retention batch of `step`, in one short transaction: looks at the next `limit` rows
   * (by id, after `after`; `""` to start) of those created before `before`, and deletes the
   * ones nothing pending needs — never a `pending` delivery, an event with a delivery left, a
   * `queued` message, a sandbox message still owed its report, or a message with an event left.
   * A batch looks at `limit` rows however many it keeps, so rows kept for pending work are
   * passed over once per run, not once per batch.
   */
  purgeBatch(options: {
    step: PurgeStep;
    before: Date;
    limit: number;
    after: string;
  }): Promise<PurgeBatch>;
  /**
   * Re-queues (due `now`, attempts kept) every `failed` delivery of the company's webhook
   * whose last attempt was at or after `since`; with `dryRun`, only counts them.
   */
  recoverDeliveries(options: {
    companyId: string;
    webhookId: string;
    since: Date;
    now: Date;
    dryRun: boolean;
  }): Promise<number>;
}
