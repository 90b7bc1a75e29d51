/**
 * The delivery store's hot statements, in SQL: the claim runs at every worker tick on every
 * instance, so its shape (and the index it walks) matters more than brevity.
 *
 * @module
 */
import { type SQL, sql } from "drizzle-orm";

/** Enabled, not deleted webhooks: only their deliveries go out (others stay pending). */
const LIVE_WEBHOOK = sql.raw("w.kind = 'webhook' AND w.enabled AND w.deleted_at IS NULL");

/** What one claim round needs. */
export interface ClaimRound {
  now: Date;
  leaseUntil: Date;
  /** Deliveries to lease at most in this round. */
  limit: number;
  /** Deliveries per webhook at most, over the whole claim. */
  perWebhook: number;
  excluded: readonly string[];
  /** Deliveries already leased by earlier rounds of this claim, per webhook. */
  already: ReadonlyMap<string, number>;
  /** Deliveries per company at most in this round, when not in `companyRoom`. */
  perCompany: number;
  /** Per-company room left for this round, by company id (0: none). */
  companyRoom: ReadonlyMap<string, number>;
}

/** One row: how many candidates the round saw, and the ids and webhooks it leased. */
export interface ClaimRoundRow {
  candidates: number;
  ids: string[] | null;
  webhooks: string[] | null;
  companies: string[] | null;
}

/**
 * One claim round, in one statement (autocommit):
 *
 * 1. `candidates`: per live webhook, its oldest due unleased deliveries (one probe of
 *    `deliveries_webhook_due_idx` each, at most `perWebhook` minus what earlier rounds took),
 *    at most a company's room per company (`ranked`), then the oldest `limit` overall. A plain read: it only decides how many deliveries to
 *    take from which webhook (`allocation`).
 * 2. `locked`: per allocated webhook, that many of its oldest due deliveries that can be
 *    locked now, `FOR UPDATE SKIP LOCKED`. A row another claimer holds is skipped for the next
 *    one of the same webhook instead of waited for, and a row it has just leased fails the
 *    re-check Postgres makes on the latest version of every row it locks. At most `limit`
 *    rows are locked, so none is held without being leased (a held row would make other
 *    claimers skip it for nothing).
 * 3. `leased`: the UPDATE leases exactly the locked rows.
 *
 * So claimers in one process or many never lease the same delivery, and concurrent claimers
 * take successive rows of a webhook instead of fighting over its first ones. A round that
 * leased fewer rows than it had candidates met another claimer: the caller looks again.
 */
export function claimRound(round: ClaimRound): SQL {
  // Arrays go as one parameter each (`sql.param`): drizzle would spread a bare array into a list.
  const takenIds = sql.param([...round.already.keys()]);
  const takenCounts = sql.param([...round.already.values()]);
  const excluded = sql.param([...round.excluded]);
  const roomIds = sql.param([...round.companyRoom.keys()]);
  const roomCounts = sql.param([...round.companyRoom.values()]);
  return sql`
    WITH taken AS (
      SELECT * FROM unnest(${takenIds}::text[], ${takenCounts}::int[]) AS t(webhook_id, n)
    ), room AS (
      SELECT * FROM unnest(${roomIds}::text[], ${roomCounts}::int[]) AS r(company_id, n)
    ), ranked AS (
      SELECT w.id AS webhook_id, c.id, c.next_attempt_at,
        row_number() OVER (PARTITION BY w.company_id ORDER BY c.next_attempt_at, c.id) AS rank,
        coalesce(room.n, ${round.perCompany}::int) AS allowed
      FROM integrations w
      LEFT JOIN taken ON taken.webhook_id = w.id
      LEFT JOIN room ON room.company_id = w.company_id
      CROSS JOIN LATERAL (
        SELECT d.id, d.next_attempt_at
        FROM deliveries d
        WHERE d.webhook_id = w.id AND d.status = 'pending' AND d.next_attempt_at <= ${round.now}
          AND (d.lease_until IS NULL OR d.lease_until <= ${round.now})
        ORDER BY d.next_attempt_at, d.id
        LIMIT greatest(${round.perWebhook}::int - coalesce(taken.n, 0), 0)
      ) c
      WHERE ${LIVE_WEBHOOK} AND w.id <> ALL(${excluded}::text[])
    ), candidates AS (
      SELECT webhook_id, id, next_attempt_at FROM ranked
      WHERE rank <= allowed
      ORDER BY next_attempt_at, id
      LIMIT ${round.limit}
    ), allocation AS (
      SELECT webhook_id, count(*) AS n FROM candidates GROUP BY webhook_id
    ), locked AS (
      SELECT l.id FROM allocation a
      CROSS JOIN LATERAL (
        SELECT d.id FROM deliveries d
        WHERE d.webhook_id = a.webhook_id AND d.status = 'pending'
          AND d.next_attempt_at <= ${round.now}
          AND (d.lease_until IS NULL OR d.lease_until <= ${round.now})
        ORDER BY d.next_attempt_at, d.id
        LIMIT a.n
        FOR UPDATE SKIP LOCKED
      ) l
    ), leased AS (
      -- An array, not a join: the planner cannot size \`locked\` and would scan the table.
      UPDATE deliveries SET lease_until = ${round.leaseUntil}
      WHERE id = ANY(ARRAY(SELECT id FROM locked))
      RETURNING id, webhook_id, company_id
    )
    SELECT (SELECT count(*) FROM candidates)::int AS candidates,
      (SELECT array_agg(id) FROM leased) AS ids,
      (SELECT array_agg(webhook_id) FROM leased) AS webhooks,
      (SELECT array_agg(company_id) FROM leased) AS companies`;
}

/**
 * When the next claim could find work: the earliest unleased due time per live webhook (one
 * index probe each), and for the few leased rows (`deliveries_lease_idx`) the later of due
 * time and lease end — a lease left by a crashed worker is not due before it runs out.
 */
export const NEXT_DUE: SQL = sql`
  SELECT min(at) AS at FROM (
    SELECT (
      SELECT d.next_attempt_at FROM deliveries d
      WHERE d.webhook_id = w.id AND d.status = 'pending' AND d.next_attempt_at IS NOT NULL
        AND d.lease_until IS NULL
      ORDER BY d.next_attempt_at
      LIMIT 1
    ) AS at
    FROM integrations w
    WHERE ${LIVE_WEBHOOK}
    UNION ALL
    SELECT greatest(d.next_attempt_at, d.lease_until) AS at
    FROM deliveries d JOIN integrations w ON w.id = d.webhook_id
    WHERE d.lease_until IS NOT NULL AND d.status = 'pending' AND ${LIVE_WEBHOOK}
  ) due`;
