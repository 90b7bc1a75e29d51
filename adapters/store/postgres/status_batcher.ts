/**
 * A small group commit for `updateMessageStatus` on Postgres: the status changes that arrive
 * while others are being written share one transaction (one row lock statement, one write
 * statement, one COMMIT) instead of paying five round trips and a commit each.
 *
 * @module
 */
import { type SQL, sql } from "drizzle-orm";
import type { Message, MessageStatusChange } from "../../../core/domain.ts";
import { buildMessageEvent, type MessageEventSpec } from "../../../core/message_event.ts";
import { applyStatusChange } from "../../../core/message_status.ts";
import type { OutboxEvent } from "../../../core/ports/message_store.ts";
import { BatchQueue } from "./_batch_queue.ts";
import { insertRows } from "./_json_rows.ts";
import { historyToJson, messageFromRow } from "./_message_row.ts";
import { outboxRows } from "./_outbox.ts";
import { AmbiguousCommitError, failureKind } from "./_transient.ts";
import type { PgRunner, PgTx } from "./pg_runner.ts";
import { deliveries } from "./schema/deliveries.ts";
import { events } from "./schema/events.ts";
import { messages } from "./schema/messages.ts";

interface QueuedUpdate {
  messageId: string;
  change: MessageStatusChange;
  event: MessageEventSpec | null;
  resolve: (message: Message | null) => void;
  reject: (error: unknown) => void;
}

/**
 * Queues status changes and applies them in batches: up to `maxBatch` per transaction, at
 * most `maxInFlight` transactions at once. A batch locks its messages (`SELECT … FOR UPDATE`,
 * in id order so concurrent batches on any instance never deadlock), applies the changes in
 * call order in memory (two changes of one message in one batch see each other, as they would
 * one after the other), then writes the changed messages, their events and deliveries in one
 * statement. The transaction may run again after a transient failure; the events are built
 * from plain data ({@linkcode buildMessageEvent}), so running it twice builds the same rows.
 *
 * A batch that fails for a reason about the data is replayed one change per transaction, so
 * only the faulty change is rejected; a commit whose outcome is unknown rejects every caller
 * of the batch with {@linkcode AmbiguousCommitError}, as the unbatched call would.
 */
export class StatusBatcher {
  readonly #db: PgRunner;
  readonly #queue: BatchQueue<QueuedUpdate>;

  /**
   * @param db The pool of a migrated database, with its retry policy.
   * @param options.maxBatch Changes per transaction at most; default 256.
   * @param options.maxInFlight Transactions at once at most; default 2.
   */
  constructor(db: PgRunner, options: { maxBatch?: number; maxInFlight?: number } = {}) {
    this.#db = db;
    this.#queue = new BatchQueue((batch) => this.#write(batch), {
      maxBatch: options.maxBatch ?? 256,
      maxInFlight: options.maxInFlight ?? 2,
    });
  }

  /** Queues one change; resolves with the updated message, or null when nothing changed. */
  update(
    messageId: string,
    change: MessageStatusChange,
    event: MessageEventSpec | null,
  ): Promise<Message | null> {
    return new Promise<Message | null>((resolve, reject) => {
      this.#queue.push({ messageId, change, event, resolve, reject });
    });
  }

  /** Resolves once every queued change has settled. */
  drain(): Promise<void> {
    return this.#queue.drain();
  }

  async #write(batch: QueuedUpdate[]): Promise<void> {
    let results: (Message | null)[];
    try {
      results = await this.#db.transaction((tx) => applyBatch(tx, batch));
    } catch (error) {
      const replay =
        batch.length > 1 && !(error instanceof AmbiguousCommitError) && failureKind(error) === null;
      if (!replay) {
        for (const update of batch) update.reject(error);
        return;
      }
      // Nothing of the batch was committed: one transaction per change finds the faulty one.
      for (const update of batch) await this.#write([update]);
      return;
    }
    batch.forEach((update, i) => {
      update.resolve(results[i] ?? null);
    });
  }
}

/** The transaction body: lock, apply in call order, write what changed. */
async function applyBatch(tx: PgTx, batch: readonly QueuedUpdate[]): Promise<(Message | null)[]> {
  const ids = [...new Set(batch.map((update) => update.messageId))].sort();
  const rows = await tx
    .select()
    .from(messages)
    .where(sql`${messages.id} = ANY(${sql.param(ids)}::text[])`)
    .orderBy(messages.id)
    // NO KEY UPDATE, as the UPDATE itself takes: it serializes status changes of a message
    // without blocking the foreign-key checks (KEY SHARE) of rows that reference it.
    .for("no key update");
  const current = new Map<string, Message>();
  for (const row of rows) current.set(row.id, messageFromRow(row));
  const changed = new Map<string, Message>();
  const outbox: OutboxEvent[] = [];
  const results = batch.map((update) => {
    const message = current.get(update.messageId);
    if (message === undefined) return null;
    const updated = applyStatusChange(message, update.change);
    if (updated === null) return null;
    current.set(updated.id, updated);
    changed.set(updated.id, updated);
    if (update.event !== null) outbox.push(buildMessageEvent(updated, update.event));
    return updated;
  });
  if (changed.size > 0) await tx.execute(writeStatement([...changed.values()], outbox));
  return results;
}

/**
 * The changed messages, their events and deliveries in ONE statement; the message rows go as
 * one jsonb parameter, so the statement text is the same for every batch size.
 */
function writeStatement(changed: readonly Message[], outbox: readonly OutboxEvent[]): SQL {
  const updates = changed.map((message) => ({
    id: message.id,
    status: message.status,
    history: historyToJson(message.history),
    updated_at: message.updatedAt.toISOString(),
  }));
  const rows = outboxRows(outbox);
  return sql`
    WITH updated AS (
      UPDATE ${messages} SET status = u.status, history = u.history, updated_at = u.updated_at
      FROM jsonb_to_recordset(${sql.param(updates)}::jsonb)
        AS u(id text, status text, history jsonb, updated_at timestamptz)
      -- The id list keeps the plan on the primary key whatever the cached plan thinks of
      -- the table's size (a plan made while it was small would join by a full scan).
      WHERE ${messages.id} = u.id AND ${messages.id} = ANY(${sql.param(changed.map((m) => m.id))}::text[])
    ), saved_events AS (${insertRows(events, rows.events)})
    ${insertRows(deliveries, rows.deliveries)}`;
}
