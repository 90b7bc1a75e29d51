/**
 * A small group commit for `updateMessageStatus` on Postgres (our own reports: the sandbox's):
 * the status changes that arrive while others are being written share one transaction (one
 * row lock statement, one write statement, one COMMIT) instead of paying five round trips and
 * a commit each.
 *
 * @module
 */

import type { MessageEventSpec } from "../../../core/message_event.ts";
import type { StatusReport } from "../../../core/message_status.ts";
import { alreadyApplied } from "../../../core/message_status.ts";
import type { StatusChangeOutcome } from "../../../core/ports/message_store.ts";
import { BatchedTransaction } from "./_batched_transaction.ts";
import { lockMessages, MessageChanges } from "./_message_changes.ts";
import type { PgRunner, PgTx } from "./pg_runner.ts";

interface StatusUpdate {
  messageId: string;
  report: StatusReport;
  event: MessageEventSpec | null;
}

/**
 * Queues status changes and applies them in batches (see {@linkcode BatchedTransaction}): a
 * batch locks its messages, applies the changes in call order by the status rule, then writes
 * the changed messages, their events and deliveries in one statement. The events are built
 * from plain data, so a transaction run twice builds the same rows.
 */
export class StatusBatcher {
  readonly #writes: BatchedTransaction<StatusUpdate, StatusChangeOutcome>;

  /**
   * @param db The pool of a migrated database, with its retry policy.
   * @param options.maxBatch Changes per transaction at most; default 256.
   * @param options.maxInFlight Transactions at once at most; default 2.
   */
  constructor(db: PgRunner, options: { maxBatch?: number; maxInFlight?: number } = {}) {
    this.#writes = new BatchedTransaction(db, applyStatusBatch, options);
  }

  /** Queues one change; resolves with what it did. */
  update(
    messageId: string,
    report: StatusReport,
    event: MessageEventSpec | null,
  ): Promise<StatusChangeOutcome> {
    return this.#writes.run({ messageId, report, event });
  }

  /** Resolves once every queued change has settled. */
  drain(): Promise<void> {
    return this.#writes.drain();
  }
}

/** The transaction body: lock, apply in call order, write what changed. */
async function applyStatusBatch(
  tx: PgTx,
  batch: readonly StatusUpdate[],
): Promise<StatusChangeOutcome[]> {
  const changes = new MessageChanges(
    await lockMessages(
      tx,
      batch.map((update) => update.messageId),
    ),
  );
  const results = batch.map((update): StatusChangeOutcome => {
    const message = changes.get(update.messageId);
    if (message === undefined) return "unknown";
    // A report of our own repeated (after a restart, or by another instance) is no news.
    if (alreadyApplied(message, update.report.status)) return "repeated";
    return changes.apply(message, update.report, update.event) ? "applied" : "not_applied";
  });
  await changes.write(tx);
  return results;
}
