/**
 * Write operations of the operator's housekeeping (README "Retention", "Recovering
 * deliveries"): job leases, one retention batch, re-queuing a webhook's failed deliveries.
 *
 * @module
 */
import type { Database, Statement } from "bun:sqlite";
import { type IdKind, newId } from "../../../../core/ids.ts";
import type { PurgeCounts } from "../../../../core/ports/operations_store.ts";
import {
  ACQUIRE_LEASE,
  COUNT_RECOVERABLE,
  DELETE_ATTEMPTS,
  DELETE_DELIVERIES,
  DELETE_EVENTS,
  DELETE_MESSAGE_REPORTS,
  DELETE_MESSAGES,
  OLD_DELIVERIES,
  OLD_EVENTS,
  OLD_MESSAGES,
  RECOVER,
  STALE_REPORTS,
} from "../_purge_sql.ts";

type Pick = Statement<{ id: string }, [string, number, number]>;
type ByIds = Statement<unknown, [string]>;

/** The smallest id of `kind` made at `at` (ms): every older id sorts before it. */
export function floorId(kind: IdKind, at: number): string {
  return newId(kind, { now: at, random: (n) => new Uint8Array(n) });
}

/** The housekeeping writes on `db` (see {@linkcode createWriteOps}). */
export function housekeepingOps(db: Database) {
  const pick = (text: string): Pick => db.prepare(text);
  const byIds = (text: string): ByIds => db.prepare(text);
  const oldDeliveries = pick(OLD_DELIVERIES);
  const oldEvents = pick(OLD_EVENTS);
  const oldMessages = pick(OLD_MESSAGES);
  const del = {
    attempts: byIds(DELETE_ATTEMPTS),
    deliveries: byIds(DELETE_DELIVERIES),
    events: byIds(DELETE_EVENTS),
    messageReports: byIds(DELETE_MESSAGE_REPORTS),
    messages: byIds(DELETE_MESSAGES),
  };
  const staleReports: Statement<unknown, [number, number]> = db.prepare(STALE_REPORTS);
  const recover: Statement<unknown, [string, string, number, number]> = db.prepare(RECOVER);
  const countRecoverable: Statement<{ n: number }, [string, string, number]> =
    db.prepare(COUNT_RECOVERABLE);
  const acquire: Statement<{ holder: string }, [string, string, number, number]> =
    db.prepare(ACQUIRE_LEASE);

  const idsOf = (statement: Pick, kind: IdKind, before: number, limit: number) =>
    JSON.stringify(statement.all(floorId(kind, before), before, limit).map((r) => r.id));

  return {
    "jobs.acquire": (name: string, holder: string, now: number, until: number): boolean =>
      acquire.get(name, holder, now, until) !== null,
    /** One retention batch, in the order foreign keys need: attempts to messages. */
    "retention.purge": (before: number, limit: number): PurgeCounts => {
      const deliveryIds = idsOf(oldDeliveries, "delivery", before, limit);
      const attempts = del.attempts.run(deliveryIds).changes;
      const deliveries = del.deliveries.run(deliveryIds).changes;
      const events = del.events.run(idsOf(oldEvents, "event", before, limit)).changes;
      const messageIds = idsOf(oldMessages, "message", before, limit);
      let statusReports = del.messageReports.run(messageIds).changes;
      const messages = del.messages.run(messageIds).changes;
      statusReports += staleReports.run(before, limit).changes;
      return { attempts, deliveries, events, statusReports, messages };
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
