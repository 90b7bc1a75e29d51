/**
 * A small group commit for `receiveMessage` on Postgres: the inbound messages that arrive while
 * others are being written share one statement, whose inserts yield to the unique key on
 * inbound provider ids — a message already stored (or a copy earlier in the same batch) is
 * skipped with its events.
 *
 * @module
 */
import { type SQL, sql } from "drizzle-orm";
import type { Message } from "../../../core/domain.ts";
import type { OutboxEvent } from "../../../core/ports/message_store.ts";
import { BatchQueue } from "./_batch_queue.ts";
import { insertRows } from "./_json_rows.ts";
import { type MessageInsert, messageToRow } from "./_message_row.ts";
import { outboxRows } from "./_outbox.ts";
import type { PgRunner } from "./pg_runner.ts";
import { deliveries } from "./schema/deliveries.ts";
import { events } from "./schema/events.ts";
import { messages } from "./schema/messages.ts";

interface QueuedInbound {
  row: MessageInsert;
  outbox: readonly OutboxEvent[];
  resolve: (inserted: boolean) => void;
  reject: (error: unknown) => void;
}

/**
 * Queues inbound messages and writes them in batches: up to 256 per statement, 2 statements at
 * once. Each promise resolves with whether its message was inserted. A batch that fails for a
 * reason about the data is replayed one message per statement, so only the faulty one is
 * rejected. The statement is safe to run twice (a second run inserts nothing), so it is
 * retried after a dropped connection; a caller whose first run committed then hears `false`.
 *
 * @example
 * ```ts
 * const inbound = new InboundBatcher(runner);
 * const inserted = await inbound.receive(message, [received]);
 * ```
 */
export class InboundBatcher {
  readonly #db: PgRunner;
  readonly #queue: BatchQueue<QueuedInbound>;

  /** @param db The pool of a migrated database, with its retry policy. */
  constructor(db: PgRunner) {
    this.#db = db;
    this.#queue = new BatchQueue((batch) => this.#write(batch), { maxBatch: 256, maxInFlight: 2 });
  }

  /** Queues one inbound message; resolves once committed with whether it was inserted. */
  receive(message: Message, outbox: readonly OutboxEvent[]): Promise<boolean> {
    const row = messageToRow(message);
    return new Promise<boolean>((resolve, reject) => {
      this.#queue.push({ row, outbox, resolve, reject });
    });
  }

  /** Resolves once every queued message has settled. */
  drain(): Promise<void> {
    return this.#queue.drain();
  }

  async #write(batch: QueuedInbound[]): Promise<void> {
    let inserted: Set<string>;
    try {
      const rows = (await this.#db.write((db) => db.execute(receiveStatement(batch)), {
        idempotent: true,
      })) as unknown as Array<{ id: string }>;
      inserted = new Set(rows.map((row) => row.id));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      // Transient failures were already retried by the runner: this one is about the data.
      for (const item of batch) await this.#write([item]);
      return;
    }
    for (const item of batch) item.resolve(inserted.has(item.row.id));
  }
}

/** The messages, and only the events and deliveries of those inserted, in ONE statement. */
function receiveStatement(batch: readonly QueuedInbound[]): SQL {
  const rows = outboxRows(batch.flatMap((item) => item.outbox));
  return sql`
    WITH saved_messages AS (
      ${insertRows(
        messages,
        batch.map((item) => item.row),
      )} ON CONFLICT DO NOTHING RETURNING id
    ), saved_events AS (
      ${insertRows(events, rows.events)} WHERE message_id IN (SELECT id FROM saved_messages)
      RETURNING id
    ), saved_deliveries AS (
      ${insertRows(deliveries, rows.deliveries)} WHERE event_id IN (SELECT id FROM saved_events)
    )
    SELECT id FROM saved_messages`;
}
