/**
 * Retention's statements on SQLite (README "Retention"). A scan looks at the next `?3` rows
 * after `?4` whose id sorts before `?1` (the smallest id of time `?2`: ids are time-sortable, so
 * the primary key finds the old rows) and says which of them nothing pending still needs.
 *
 * @module
 */

/** The next deliveries after `?4`; `ok` when settled (never `pending`: due, leased, or waiting). */
export const SCAN_DELIVERIES = `SELECT id, (created_at < ?2 AND status <> 'pending') AS ok
  FROM deliveries WHERE id > ?4 AND id < ?1 ORDER BY id LIMIT ?3`;

/** The next events; `ok` when none of their deliveries is left. */
export const SCAN_EVENTS = `SELECT e.id, (e.created_at < ?2
    AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id)) AS ok
  FROM events e WHERE e.id > ?4 AND e.id < ?1 ORDER BY e.id LIMIT ?3`;

/**
 * The next messages; `ok` when no event is left about them, and never one still `queued` (its
 * send is under way or waits for its time) nor a sandbox message still owed its report.
 */
export const SCAN_MESSAGES = `SELECT m.id, (m.created_at < ?2
    AND m.status NOT IN ('queued', 'scheduled')
    AND NOT (m.provider = 'sandbox' AND m.status = 'sent')
    AND NOT EXISTS (SELECT 1 FROM events e WHERE e.message_id = m.id)) AS ok
  FROM messages m WHERE m.id > ?4 AND m.id < ?1 ORDER BY m.id LIMIT ?3`;

/** Provider reports that waited that long and never found their message. */
export const STALE_REPORTS = `DELETE FROM status_reports
  WHERE rowid IN (SELECT rowid FROM status_reports
    WHERE message_id IS NULL AND received_at < ?1 ORDER BY received_at LIMIT ?2)`;

export const DELETE_ATTEMPTS = `DELETE FROM delivery_attempts
  WHERE delivery_id IN (SELECT value FROM json_each(?1))`;
export const DELETE_DELIVERIES =
  "DELETE FROM deliveries WHERE id IN (SELECT value FROM json_each(?1))";
export const DELETE_EVENTS = "DELETE FROM events WHERE id IN (SELECT value FROM json_each(?1))";
/** The reports of the messages being deleted, found by their provider id (the primary key). */
export const DELETE_MESSAGE_REPORTS = `DELETE FROM status_reports
  WHERE (channel_id, provider_message_id) IN (
    SELECT channel_id, provider_message_id FROM messages
    WHERE id IN (SELECT value FROM json_each(?1)) AND provider_message_id IS NOT NULL)`;
export const DELETE_MESSAGES = "DELETE FROM messages WHERE id IN (SELECT value FROM json_each(?1))";

/** Re-queues a webhook's failed deliveries whose last attempt was at or after `?3`. */
export const RECOVER = `UPDATE deliveries
  SET status = 'pending', next_attempt_at = ?4, lease_until = NULL, updated_at = ?4
  WHERE company_id = ?1 AND webhook_id = ?2 AND status = 'failed' AND updated_at >= ?3`;
export const COUNT_RECOVERABLE = `SELECT count(*) AS n FROM deliveries
  WHERE company_id = ?1 AND webhook_id = ?2 AND status = 'failed' AND updated_at >= ?3`;

/** Takes the job's lease when free or already the holder's; answers a row when it did. */
export const ACQUIRE_LEASE = `INSERT INTO job_leases (name, holder, lease_until) VALUES (?1, ?2, ?4)
  ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, lease_until = excluded.lease_until
  WHERE job_leases.lease_until <= ?3 OR job_leases.holder = excluded.holder
  RETURNING holder`;
