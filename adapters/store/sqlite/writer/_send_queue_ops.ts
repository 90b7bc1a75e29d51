/**
 * Write operations of the asynchronous send queue (README "Throughput, retries, async and
 * scheduled sends"): the queue is the messages table, a queued message with a due time.
 *
 * @module
 */
import type { Database, SQLQueryBindings } from "bun:sqlite";
import type { MessageEventSpec } from "../../../../core/message_event.ts";
import type { SendOutcome } from "../../../../core/ports/message_store.ts";
import type { CancelSendOutcome } from "../../../../core/ports/send_queue.ts";
import type { MessageRow } from "../_message_row.ts";
import { insertSql, selectList } from "../_statements.ts";
import { messages } from "../schema/messages.ts";

/** A claimed row: the message's columns and the queue's. */
export type ClaimedSendRow = MessageRow;

/** The queue's writes on `db`; `recordOutcome` is the message store's own operation. */
export function sendQueueOps(
  db: Database,
  recordOutcome: (id: string, outcome: SendOutcome, event: MessageEventSpec | null) => number,
) {
  const insert = db.prepare<unknown, SQLQueryBindings[]>(insertSql(messages));
  const setQueue = db.prepare<unknown, [number, string, string]>(
    "UPDATE messages SET due_at = ?, send_attempts = 0, send_key = ? WHERE id = ?",
  );
  // Exactly the partial index's condition, so SQLite reads only the queued sends.
  const claim = db.prepare<ClaimedSendRow, [number, number, number, number]>(
    `UPDATE messages SET lease_until = ? WHERE id IN (
       SELECT id FROM messages WHERE status = 'queued' AND due_at IS NOT NULL AND due_at <= ?
         AND (lease_until IS NULL OR lease_until <= ?) ORDER BY due_at LIMIT ?)
     RETURNING ${selectList(messages).replaceAll('"messages".', "")}`,
  );
  const retry = db.prepare<unknown, [number, number, string]>(
    "UPDATE messages SET due_at = ?, send_attempts = ?, lease_until = NULL WHERE id = ? AND status = 'queued'",
  );
  const release = db.prepare<unknown, [string, string, number]>(
    `UPDATE messages SET due_at = NULL, lease_until = NULL WHERE company_id = ? AND id = ?
       AND status = 'queued' AND due_at IS NOT NULL AND (lease_until IS NULL OR lease_until <= ?)`,
  );
  const exists = db.prepare<{ id: string }, [string, string]>(
    "SELECT id FROM messages WHERE company_id = ? AND id = ?",
  );
  return {
    /** A queued message (its INSERT values) due at `dueAt`, with its provider key. */
    "sends.enqueue": (values: readonly SQLQueryBindings[], dueAt: number, sendKey: string) => {
      insert.run(...values);
      setQueue.run(dueAt, sendKey, String(values[0]));
    },
    "sends.claim": (now: number, leaseUntil: number, limit: number): ClaimedSendRow[] =>
      claim.all(leaseUntil, now, now, limit),
    "sends.retryLater": (id: string, dueAt: number, attempts: number): void => {
      retry.run(dueAt, attempts, id);
    },
    "sends.cancel": (
      companyId: string,
      id: string,
      input: { now: number; outcome: SendOutcome; event: MessageEventSpec | null },
    ): CancelSendOutcome => {
      if (release.run(companyId, id, input.now).changes === 0) {
        return exists.get(companyId, id) === null ? "unknown" : "left";
      }
      recordOutcome(id, input.outcome, input.event);
      return "canceled";
    },
  };
}
