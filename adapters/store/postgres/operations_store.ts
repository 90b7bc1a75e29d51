/**
 * {@linkcode OperationsStore} on Postgres: job leases on a row, retention batches as one
 * short statement each, recovery as one update.
 *
 * @module
 */
import { sql } from "drizzle-orm";
import { newId } from "../../../core/ids.ts";
import type {
  OperationsStore,
  PurgeBatch,
  PurgeStep,
} from "../../../core/ports/operations_store.ts";
import { purgeRound, staleReports } from "./_purge_sql.ts";
import type { PgRunner } from "./pg_runner.ts";

/** The smallest id of `kind` made at `at`: every older id sorts before it. */
const floorId = (kind: "delivery" | "event" | "message", at: number): string =>
  newId(kind, { now: at, random: (n) => new Uint8Array(n) });

/**
 * @example
 * ```ts
 * const operations = new PostgresOperationsStore(runner);
 * const batch = await operations.purgeBatch({ step: "deliveries", before, limit: 500, after: "" });
 * ```
 */
export class PostgresOperationsStore implements OperationsStore {
  readonly #db: PgRunner;

  constructor(db: PgRunner) {
    this.#db = db;
  }

  /** Retried even after a dropped connection: taking a lease one holds again changes nothing. */
  async acquireJobLease(job: {
    name: string;
    holder: string;
    now: Date;
    until: Date;
  }): Promise<boolean> {
    const { name, holder, now, until } = job;
    const rows = (await this.#db.write(
      (db) =>
        db.execute(sql`
          INSERT INTO job_leases (name, holder, lease_until) VALUES (${name}, ${holder}, ${until})
          ON CONFLICT (name) DO UPDATE
            SET holder = excluded.holder, lease_until = excluded.lease_until
            WHERE job_leases.lease_until <= ${now} OR job_leases.holder = excluded.holder
          RETURNING holder`),
      { idempotent: true },
    )) as unknown as unknown[];
    return rows.length > 0;
  }

  /** Retried even after a dropped connection: a batch deletes only what nothing needs. */
  async purgeBatch(options: {
    step: PurgeStep;
    before: Date;
    limit: number;
    after: string;
  }): Promise<PurgeBatch> {
    const { step, before, limit, after } = options;
    if (step === "reports") {
      const [row] = (await this.#db.write((db) => db.execute(staleReports(before, limit)), {
        idempotent: true,
      })) as unknown as Array<{ deleted: number }>;
      const deleted = row?.deleted ?? 0;
      return { deleted, related: 0, next: deleted < limit ? null : "" };
    }
    const kind = step === "deliveries" ? "delivery" : step === "events" ? "event" : "message";
    const statement = purgeRound({
      step,
      before,
      floor: floorId(kind, before.getTime()),
      after,
      limit,
    });
    const [row] = (await this.#db.write((db) => db.execute(statement), {
      idempotent: true,
    })) as unknown as Array<{
      scanned: number;
      last: string | null;
      deleted: number;
      related: number;
    }>;
    const done = row === undefined || row.scanned < limit || row.last === null;
    return {
      deleted: row?.deleted ?? 0,
      related: row?.related ?? 0,
      next: done ? null : row.last,
    };
  }

  async recoverDeliveries(options: {
    companyId: string;
    webhookId: string;
    since: Date;
    now: Date;
    dryRun: boolean;
  }): Promise<number> {
    const { companyId, webhookId, since, now } = options;
    const match = sql`company_id = ${companyId} AND webhook_id = ${webhookId}
      AND status = 'failed' AND updated_at >= ${since}`;
    if (options.dryRun) {
      const [row] = (await this.#db.read((db) =>
        db.execute(sql`SELECT count(*)::int AS n FROM deliveries WHERE ${match}`),
      )) as unknown as Array<{ n: number }>;
      return row?.n ?? 0;
    }
    // Retried even after a dropped connection: a second run finds them pending already.
    const rows = (await this.#db.write(
      (db) =>
        db.execute(sql`
          UPDATE deliveries
          SET status = 'pending', next_attempt_at = ${now}, lease_until = NULL, updated_at = ${now}
          WHERE ${match} RETURNING id`),
      { idempotent: true },
    )) as unknown as unknown[];
    return rows.length;
  }
}
