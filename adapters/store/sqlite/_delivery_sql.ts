/**
 * The delivery store's hot statements, in SQL: the claim runs at every worker tick, under
 * the write lock, so its shape (and the index it walks) matters more than brevity.
 *
 * @module
 */

/** Enabled, not deleted webhooks: only their deliveries go out (others stay pending). */
const LIVE_WEBHOOKS = "w.kind = 'webhook' AND w.enabled = 1 AND w.deleted_at IS NULL";

/**
 * Ids of the deliveries to claim. `?1` now (ms), `?2` per-webhook limit, `?3` JSON array of
 * excluded webhook ids, `?4` limit, `?5` JSON object of per-company room (company id → most
 * deliveries), `?6` the most for a company not in `?5`.
 *
 * One probe of `deliveries_webhook_due_idx` per live webhook, each stopping after `?2` rows:
 * the work is bounded by the number of webhooks, never by a backlog. A single walk of a
 * `(status, next_attempt_at)` index would step over every due row of a disabled, deleted or
 * excluded (saturated) webhook at every tick — exactly the rows that pile up. The oldest rows
 * of each company are then ranked, so no company takes more than its room.
 */
export const CLAIM_CANDIDATES = `
  WITH ranked AS (
    SELECT d.id AS id, d.next_attempt_at AS at, w.company_id AS company,
      row_number() OVER (PARTITION BY w.company_id ORDER BY d.next_attempt_at, d.id) AS n
    FROM integrations w
    JOIN deliveries d ON d.id IN (
      SELECT c.id FROM deliveries c
      WHERE c.webhook_id = w.id AND c.status = 'pending' AND c.next_attempt_at <= ?1
        AND (c.lease_until IS NULL OR c.lease_until <= ?1)
      ORDER BY c.next_attempt_at
      LIMIT ?2
    )
    WHERE ${LIVE_WEBHOOKS} AND w.id NOT IN (SELECT value FROM json_each(?3))
  )
  SELECT ranked.id AS id
  FROM ranked LEFT JOIN json_each(?5) room ON room.key = ranked.company
  WHERE ranked.n <= coalesce(room.value, ?6)
  ORDER BY ranked.at, ranked.id
  LIMIT ?4`;

/** `?1` lease end (ms), `?2` JSON array of delivery ids. */
export const LEASE =
  "UPDATE deliveries SET lease_until = ?1 WHERE id IN (SELECT value FROM json_each(?2))";

const SETTLE_SET = `
  UPDATE deliveries
  SET status = ?1, attempts = attempts + 1, next_attempt_at = ?2, lease_until = NULL,
    last_status_code = ?3, last_error = ?4, updated_at = ?5
  WHERE id = ?6`;

/** A delivery after an attempt, whatever its lease; returns its webhook. */
export const SETTLE = `${SETTLE_SET} RETURNING webhook_id AS webhookId`;

/** Same, only while the lease is still `?7`: a worker whose lease ran out changes nothing. */
export const SETTLE_LEASED = `${SETTLE_SET} AND lease_until = ?7 RETURNING webhook_id AS webhookId`;

/**
 * `?1` 1 when the destination answered 2xx, `?2` the attempt's start (ms), `?3` the webhook.
 * A success ends the failing run; a failure starts one unless one is running. Only a change
 * is written (and returned): a row rewritten to its own value still costs a page.
 */
export const UPDATE_FAILING_SINCE = `
  UPDATE integrations
  SET failing_since = CASE WHEN ?1 THEN NULL ELSE ?2 END
  WHERE id = ?3 AND CASE WHEN ?1 THEN failing_since IS NOT NULL ELSE failing_since IS NULL END
  RETURNING failing_since AS failingSince`;

/**
 * The webhook's running failure streak, when {@linkcode UPDATE_FAILING_SINCE} had nothing to
 * change (it writes only a change: most settles are one more success of a healthy webhook).
 */
export const FAILING_SINCE = "SELECT failing_since AS failingSince FROM integrations WHERE id = ?";

/**
 * When the next claim could find work: the earliest unleased due time per live webhook (one
 * index probe each), and for the few leased rows (`deliveries_lease_idx`) the later of due
 * time and lease end — a lease left by a crashed worker is not due before it runs out.
 */
export const NEXT_DUE = `
  SELECT min(at) AS at FROM (
    SELECT (
      SELECT d.next_attempt_at FROM deliveries d
      WHERE d.webhook_id = w.id AND d.status = 'pending' AND d.next_attempt_at IS NOT NULL
        AND d.lease_until IS NULL
      ORDER BY d.next_attempt_at
      LIMIT 1
    ) AS at
    FROM integrations w
    WHERE ${LIVE_WEBHOOKS}
    UNION ALL
    SELECT max(d.next_attempt_at, d.lease_until) AS at
    FROM deliveries d JOIN integrations w ON w.id = d.webhook_id
    WHERE d.lease_until IS NOT NULL AND d.status = 'pending' AND ${LIVE_WEBHOOKS}
  )`;
