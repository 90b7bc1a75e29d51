/**
 * Retention's batches on Postgres (README "Retention"), one statement each: a step looks at
 * the next `limit` rows after `after` whose id sorts before the smallest id of `before` (ids are
 * time-sortable: the primary key finds the old rows), and deletes those nothing pending needs.
 * Foreign keys (NO ACTION) are checked at the end of the statement, when the attempts and
 * reports are gone with their rows.
 *
 * @module
 */
import { type SQL, sql } from "drizzle-orm";
import type { PurgeStep } from "../../../core/ports/operations_store.ts";

/** What one batch sees: the step, the cut-off and its smallest id, the cursor, the size. */
export interface PurgeRound {
  step: Exclude<PurgeStep, "reports">;
  before: Date;
  floor: string;
  after: string;
  limit: number;
}

/** Per step: its table, what keeps a row, and what goes with a row. */
const STEPS = {
  deliveries: {
    table: sql.raw("deliveries"),
    keep: (before: Date) => sql`t.created_at < ${before} AND t.status <> 'pending'`,
    related: sql`DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT id FROM picked)`,
  },
  events: {
    table: sql.raw("events"),
    keep: (before: Date) => sql`t.created_at < ${before}
      AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = t.id)`,
    related: null,
  },
  messages: {
    table: sql.raw("messages"),
    // Never a queued message (its send is under way or waits for its time), nor a sandbox
    // message still owed its report.
    keep: (before: Date) => sql`t.created_at < ${before}
      AND t.status NOT IN ('queued', 'scheduled')
      AND NOT (t.provider = 'sandbox' AND t.status = 'sent')
      AND NOT EXISTS (SELECT 1 FROM events e WHERE e.message_id = t.id)`,
    related: sql`DELETE FROM status_reports r USING messages m
      WHERE m.id IN (SELECT id FROM picked)
        AND r.channel_id = m.channel_id AND r.provider_message_id = m.provider_message_id`,
  },
} as const;

/**
 * One batch of a step: answers `scanned`, `last` (the cursor), `deleted` and `related`.
 * Rows another transaction holds (a late report's event, a replay) are skipped, not waited for.
 */
export function purgeRound(round: PurgeRound): SQL {
  const { table, keep, related } = STEPS[round.step];
  return sql`
    WITH scanned AS (
      SELECT t.id, (${keep(round.before)}) AS ok FROM ${table} t
      WHERE t.id > ${round.after} AND t.id < ${round.floor}
      ORDER BY t.id LIMIT ${round.limit}
    ), picked AS (
      SELECT id FROM ${table} WHERE id IN (SELECT id FROM scanned WHERE ok)
      FOR UPDATE SKIP LOCKED
    ), related AS (
      ${related ?? sql`SELECT 1 WHERE false`} ${related === null ? sql`` : sql`RETURNING 1`}
    ), deleted AS (
      DELETE FROM ${table} WHERE id IN (SELECT id FROM picked) RETURNING 1
    )
    SELECT (SELECT count(*) FROM scanned)::int AS scanned,
      (SELECT max(id) FROM scanned) AS last,
      (SELECT count(*) FROM deleted)::int AS deleted,
      (SELECT count(*) FROM related)::int AS related`;
}

/** Provider reports that waited since before `before` and never found their message. */
export function staleReports(before: Date, limit: number): SQL {
  return sql`
    WITH gone AS (
      DELETE FROM status_reports WHERE ctid IN (
        SELECT ctid FROM status_reports
        WHERE message_id IS NULL AND received_at < ${before}
        ORDER BY received_at LIMIT ${limit})
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM gone)::int AS deleted`;
}
