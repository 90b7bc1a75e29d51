/**
 * Retention's batch on Postgres (README "Retention"), as one statement: each step picks at
 * most `limit` rows created before `before` whose id sorts before that time's smallest id
 * (ids are time-sortable: the primary key finds the old rows) and that nothing pending needs.
 *
 * @module
 */
import { type SQL, sql } from "drizzle-orm";

/** What one batch sees: the cut-off, the smallest ids of that time, and the batch size. */
export interface PurgeRound {
  before: Date;
  floors: { delivery: string; event: string; message: string };
  limit: number;
}

/**
 * One batch: settled deliveries and their attempts; events left without deliveries; messages
 * not `queued`, not owed a sandbox report, no event left, with their reports; reports that never
 * found their message. Data-modifying CTEs all see the snapshot from before the statement, so
 * the events and messages steps take rows the batch before freed; foreign keys (NO ACTION) are
 * checked at the end of the statement, when attempts and reports are gone with their rows.
 */
export function purgeRound(round: PurgeRound): SQL {
  const { before, floors, limit } = round;
  return sql`
    WITH old_deliveries AS (
      SELECT id FROM deliveries
      WHERE id < ${floors.delivery} AND created_at < ${before} AND status <> 'pending'
      LIMIT ${limit} FOR UPDATE SKIP LOCKED
    ), gone_attempts AS (
      DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT id FROM old_deliveries)
      RETURNING 1
    ), gone_deliveries AS (
      DELETE FROM deliveries WHERE id IN (SELECT id FROM old_deliveries) RETURNING 1
    ), old_events AS (
      SELECT e.id FROM events e
      WHERE e.id < ${floors.event} AND e.created_at < ${before}
        AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id)
      LIMIT ${limit} FOR UPDATE SKIP LOCKED
    ), gone_events AS (
      DELETE FROM events WHERE id IN (SELECT id FROM old_events) RETURNING 1
    ), old_messages AS (
      SELECT m.id, m.channel_id, m.provider_message_id FROM messages m
      WHERE m.id < ${floors.message} AND m.created_at < ${before}
        AND m.status NOT IN ('queued', 'scheduled')
        AND NOT (m.provider = 'sandbox' AND m.status = 'sent')
        AND NOT EXISTS (SELECT 1 FROM events e WHERE e.message_id = m.id)
      LIMIT ${limit} FOR UPDATE SKIP LOCKED
    ), gone_reports AS (
      DELETE FROM status_reports r USING old_messages m
      WHERE r.channel_id = m.channel_id AND r.provider_message_id = m.provider_message_id
      RETURNING 1
    ), gone_messages AS (
      DELETE FROM messages WHERE id IN (SELECT id FROM old_messages) RETURNING 1
    ), stale_reports AS (
      DELETE FROM status_reports WHERE ctid IN (
        SELECT ctid FROM status_reports
        WHERE message_id IS NULL AND received_at < ${before}
        ORDER BY received_at LIMIT ${limit})
      RETURNING 1
    )
    SELECT
      (SELECT count(*) FROM gone_attempts)::int AS attempts,
      (SELECT count(*) FROM gone_deliveries)::int AS deliveries,
      (SELECT count(*) FROM gone_events)::int AS events,
      ((SELECT count(*) FROM gone_reports) + (SELECT count(*) FROM stale_reports))::int
        AS "statusReports",
      (SELECT count(*) FROM gone_messages)::int AS messages`;
}
