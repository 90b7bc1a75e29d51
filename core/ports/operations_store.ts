/**
 * Housekeeping an operator runs on the whole database (README "Retention", "Recovering
 * deliveries"): job leases, deleting old rows in batches, re-queuing failed deliveries.
 *
 * @module
 */

/** How many rows one retention batch deleted, by table. */
export interface PurgeCounts {
  attempts: number;
  deliveries: number;
  events: number;
  statusReports: number;
  messages: number;
}

export interface OperationsStore {
  /**
   * Takes or renews the job's lease for `holder` until `until` when it is free (never taken,
   * run out at `now`) or already `holder`'s; answers whether `holder` holds it now.
   */
  acquireJobLease(job: { name: string; holder: string; now: Date; until: Date }): Promise<boolean>;
  /**
   * Deletes, in one short transaction, up to `limit` rows of each kind created before
   * `before`, never anything pending: settled deliveries (with their attempts); events left
   * without deliveries; messages that are not `queued`, not owed a sandbox report, and have no
   * event left; provider reports that never found their message, and those of the messages it
   * deletes.
   */
  purgeBatch(options: { before: Date; limit: number }): Promise<PurgeCounts>;
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
