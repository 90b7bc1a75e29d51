/**
 * {@linkcode OpsStatsReader} on the embedded SQLite store: three indexed reads on the reading
 * connection.
 *
 * @module
 */
import type { Database } from "bun:sqlite";
import type { DisabledReason, OpsStats, OpsStatsReader } from "../../../core/ports/ops_stats.ts";

// One probe of deliveries_webhook_due_idx per enabled webhook: a disabled webhook's held
// backlog is not "due" (it shows as a disabled webhook instead).
const EARLIEST_PENDING = `SELECT MIN((SELECT MIN(d.next_attempt_at) FROM deliveries d
  WHERE d.webhook_id = i.id AND d.status = 'pending')) AS at
  FROM integrations i WHERE i.kind = 'webhook' AND i.enabled = 1 AND i.deleted_at IS NULL`;
const DISABLED = `SELECT COALESCE(disabled_reason, 'manual') AS reason, COUNT(*) AS n
  FROM integrations WHERE kind = 'webhook' AND enabled = 0 AND deleted_at IS NULL
  GROUP BY COALESCE(disabled_reason, 'manual')`;
const QUEUED = "SELECT COUNT(*) AS n FROM messages WHERE status = 'queued'";

/**
 * @example
 * ```ts
 * const stats = await new SqliteOpsStats(store.database).read();
 * ```
 */
export class SqliteOpsStats implements OpsStatsReader {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async read(): Promise<OpsStats> {
    const earliest = this.#db.query<{ at: number | null }, []>(EARLIEST_PENDING).get();
    const disabled = { gone: 0, failing: 0, manual: 0 };
    for (const row of this.#db.query<{ reason: DisabledReason; n: number }, []>(DISABLED).all()) {
      disabled[row.reason] = row.n;
    }
    const queued = this.#db.query<{ n: number }, []>(QUEUED).get();
    return {
      earliestPendingAt: earliest?.at == null ? null : new Date(earliest.at),
      disabledWebhooks: disabled,
      queuedMessages: queued?.n ?? 0,
    };
  }
}
