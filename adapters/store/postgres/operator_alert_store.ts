/**
 * {@linkcode OperatorAlertStore} on Postgres: claims lease rows with `FOR UPDATE SKIP LOCKED`,
 * so senders on several instances never lease one alert.
 *
 * @module
 */
import { sql } from "drizzle-orm";
import type { OperatorAlert } from "../../../core/operator_alert.ts";
import type {
  ClaimedOperatorAlert,
  OperatorAlertOutcome,
  OperatorAlertStore,
} from "../../../core/ports/operator_alert_store.ts";
import type { PgRunner } from "./pg_runner.ts";

type Row = { id: string; payload: string; attempts: number };

/**
 * @example
 * ```ts
 * const alerts = new PostgresOperatorAlertStore(runner);
 * await alerts.enqueue(alert); // false when its incident was already alerted
 * ```
 */
export class PostgresOperatorAlertStore implements OperatorAlertStore {
  readonly #db: PgRunner;

  constructor(db: PgRunner) {
    this.#db = db;
  }

  /** Retried even after a dropped connection: the incident key makes a second insert a no-op. */
  async enqueue(alert: OperatorAlert): Promise<boolean> {
    const at = alert.createdAt;
    const rows = (await this.#db.write(
      (db) =>
        db.execute(sql`
          INSERT INTO operator_alerts (id, topic, incident_key, payload, status, attempts,
            next_attempt_at, created_at, updated_at)
          VALUES (${alert.id}, ${alert.topic}, ${alert.incidentKey}, ${alert.payload}, 'pending',
            0, ${at}, ${at}, ${at})
          ON CONFLICT (incident_key) DO NOTHING RETURNING id`),
      { idempotent: true },
    )) as unknown as Row[];
    return rows.length > 0;
  }

  async claimDue(options: {
    now: Date;
    limit: number;
    leaseMs: number;
  }): Promise<ClaimedOperatorAlert[]> {
    const { now, limit } = options;
    const leaseUntil = new Date(now.getTime() + options.leaseMs);
    const rows = (await this.#db.write((db) =>
      db.execute(sql`
        UPDATE operator_alerts SET lease_until = ${leaseUntil}
        WHERE id IN (
          SELECT id FROM operator_alerts
          WHERE status = 'pending' AND next_attempt_at <= ${now}
            AND (lease_until IS NULL OR lease_until <= ${now})
          ORDER BY next_attempt_at LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
        RETURNING id, payload, attempts`),
    )) as unknown as Row[];
    return rows.map((row) => ({ ...row, leaseUntil }));
  }

  async settle(
    claim: { id: string; leaseUntil: Date },
    outcome: OperatorAlertOutcome,
  ): Promise<boolean> {
    const rows = (await this.#db.write(
      (db) =>
        db.execute(sql`
          UPDATE operator_alerts
          SET status = ${outcome.status}, next_attempt_at = ${outcome.nextAttemptAt},
            last_error = ${outcome.lastError}, updated_at = ${outcome.at},
            attempts = attempts + 1, lease_until = NULL
          WHERE id = ${claim.id} AND lease_until = ${claim.leaseUntil}
          RETURNING id`),
      { idempotent: true },
    )) as unknown as Row[];
    return rows.length > 0;
  }
}
