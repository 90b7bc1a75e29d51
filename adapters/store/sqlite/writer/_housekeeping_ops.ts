/**
 * Write operations of the operator's housekeeping (README "Retention", "Recovering
 * deliveries"): job leases, one retention batch, re-queuing a webhook's failed deliveries.
 *
 * @module
 */
import type { Database, Statement } from "bun:sqlite";
import { type IdKind, newId } from "../../../../core/ids.ts";
import type { PurgeBatch, PurgeStep } from "../../../../core/ports/operations_store.ts";
import {
  ACQUIRE_LEASE,
  COUNT_RECOVERABLE,
  DELETE_ATTEMPTS,
  DELETE_DELIVERIES,
  DELETE_EVENTS,
  DELETE_MESSAGE_REPORTS,
  DELETE_MESSAGES,
  RECOVER,
  SCAN_DELIVERIES,
  SCAN_EVENTS,
  SCAN_MESSAGES,
  STALE_REPORTS,
} from "../_purge_sql.ts";

type Scan = Statement<{ id: string; ok: number }, [string, number, number, string]>;
type ByIds = Statement<unknown, [string]>;

/** The smallest id of `kind` made at `at` (ms): every older id sorts before it. */
export function floorId(kind: IdKind, at: number): string {
  return newId(kind, { now: at, random: (n) => new Uint8Array(n) });
}

/** The housekeeping writes on `db` (see {@linkcode createWriteOps}). */
export function housekeepingOps(db: Database) {
  const scan = (text: string): Scan => db.prepare(text);
  const byIds = (text: string): ByIds => db.prepare(text);
  // Per step: what it scans, its id kind, what goes first (attempts, reports), then its rows.
  const steps = {
    deliveries: {
      scan: scan(SCAN_DELIVERIES),
      kind: "delivery",
      related: byIds(DELETE_ATTEMPTS),
      rows: byIds(DELETE_DELIVERIES),
    },
    events: { scan: scan(SCAN_EVENTS), kind: "event", related: null, rows: byIds(DELETE_EVENTS) },
    messages: {
      scan: scan(SCAN_MESSAGES),
      kind: "message",
      related: byIds(DELETE_MESSAGE_REPORTS),
      rows: byIds(DELETE_MESSAGES),
    },
  } as const;
  const staleReports: Statement<unknown, [number, number]> = db.prepare(STALE_REPORTS);
  const recover: Statement<unknown, [string, string, number, number]> = db.prepare(RECOVER);
  const countRecoverable: Statement<{ n: number }, [string, string, number]> =
    db.prepare(COUNT_RECOVERABLE);
  const acquire: Statement<{ holder: string }, [string, string, number, number]> =
    db.prepare(ACQUIRE_LEASE);

  return {
    "jobs.acquire": (name: string, holder: string, now: number, until: number): boolean =>
      acquire.get(name, holder, now, until) !== null,
    /** One retention batch of `step` (see `OperationsStore.purgeBatch`). */
    "retention.purge": (
      step: PurgeStep,
      options: { before: number; limit: number; after: string },
    ): PurgeBatch => {
      const { before, limit, after } = options;
      if (step === "reports") {
        const deleted = staleReports.run(before, limit).changes;
        return { deleted, related: 0, next: deleted < limit ? null : "" };
      }
      const { scan: scanner, kind, related, rows } = steps[step];
      const scanned = scanner.all(floorId(kind, before), before, limit, after);
      const ids = JSON.stringify(scanned.filter((r) => r.ok === 1).map((r) => r.id));
      const relatedCount = related?.run(ids).changes ?? 0;
      const deleted = rows.run(ids).changes;
      const last = scanned.at(-1)?.id;
      return {
        deleted,
        related: relatedCount,
        next: scanned.length < limit || last === undefined ? null : last,
      };
    },
    "deliveries.recover": (
      options: { companyId: string; webhookId: string; since: number; now: number },
      dryRun: boolean,
    ): number => {
      const { companyId, webhookId, since, now } = options;
      if (dryRun) return countRecoverable.get(companyId, webhookId, since)?.n ?? 0;
      return recover.run(companyId, webhookId, since, now).changes;
    },
  };
}
