/**
 * {@linkcode OpsStatsReader} on Postgres: three indexed reads, the same on every instance.
 *
 * @module
 */
import { type SQL, sql } from "drizzle-orm";
import type { DisabledReason, OpsStats, OpsStatsReader } from "../../../core/ports/ops_stats.ts";
import type { PgRunner } from "./pg_runner.ts";

// One probe of deliveries_webhook_due_idx per enabled webhook: a disabled webhook's held
// backlog is not "due" (it shows as a disabled webhook instead).
const EARLIEST_PENDING = sql`SELECT MIN((SELECT MIN(d.next_attempt_at) FROM deliveries d
  WHERE d.webhook_id = i.id AND d.status = 'pending')) AS at
  FROM integrations i WHERE i.kind = 'webhook' AND i.enabled AND i.deleted_at IS NULL`;
const DISABLED = sql`SELECT COALESCE(disabled_reason, 'manual') AS reason, COUNT(*)::int AS n
  FROM integrations WHERE kind = 'webhook' AND NOT enabled AND deleted_at IS NULL
  GROUP BY 1`;
const QUEUED = sql`SELECT COUNT(*)::int AS n FROM messages WHERE status = 'queued'`;

/**
 * @example
 * ```ts
 * const stats = await new PostgresOpsStats(runner).read();
 * ```
 */
export class PostgresOpsStats implements OpsStatsReader {
  readonly #db: PgRunner;

  constructor(db: PgRunner) {
    this.#db = db;
  }

  async read(): Promise<OpsStats> {
    const [earliest, disabledRows, queued] = await Promise.all([
      this.#rows<{ at: Date | string | null }>(EARLIEST_PENDING),
      this.#rows<{ reason: DisabledReason; n: number }>(DISABLED),
      this.#rows<{ n: number }>(QUEUED),
    ]);
    const disabled = { gone: 0, failing: 0, manual: 0 };
    for (const row of disabledRows) disabled[row.reason] = Number(row.n);
    const at = earliest[0]?.at ?? null;
    return {
      earliestPendingAt: at === null ? null : new Date(at),
      disabledWebhooks: disabled,
      queuedMessages: Number(queued[0]?.n ?? 0),
    };
  }

  /** Bun SQL answers `execute` with the rows themselves. */
  async #rows<T>(query: SQL): Promise<T[]> {
    return (await this.#db.read(async (db) => db.execute(query))) as unknown as T[];
  }
}
