/**
 * {@linkcode OperatorAlertStore} on SQLite: every write through the store's writer, so a claim
 * holds the write lock from its select to its update (two senders never lease one alert).
 *
 * @module
 */
import type { OperatorAlert } from "../../../core/operator_alert.ts";
import type {
  ClaimedOperatorAlert,
  OperatorAlertOutcome,
  OperatorAlertStore,
} from "../../../core/ports/operator_alert_store.ts";
import type { SqliteWriter } from "./writer/sqlite_writer.ts";

/**
 * @example
 * ```ts
 * const alerts = new SqliteOperatorAlertStore(writes);
 * await alerts.enqueue(alert); // false when its incident was already alerted
 * ```
 */
export class SqliteOperatorAlertStore implements OperatorAlertStore {
  readonly #writes: SqliteWriter;

  constructor(writes: SqliteWriter) {
    this.#writes = writes;
  }

  enqueue(alert: OperatorAlert): Promise<boolean> {
    return this.#writes.write("alerts.enqueue", [alert]);
  }

  async claimDue(options: {
    now: Date;
    limit: number;
    leaseMs: number;
  }): Promise<ClaimedOperatorAlert[]> {
    const leaseUntil = new Date(options.now.getTime() + options.leaseMs);
    const rows = await this.#writes.write("alerts.claim", [
      options.now.getTime(),
      options.limit,
      leaseUntil.getTime(),
    ]);
    return rows.map((row) => ({ ...row, leaseUntil }));
  }

  settle(claim: { id: string; leaseUntil: Date }, outcome: OperatorAlertOutcome): Promise<boolean> {
    return this.#writes.write("alerts.settle", [claim, outcome]);
  }
}
