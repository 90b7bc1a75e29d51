/**
 * A small group commit for `saveMessage` on Postgres: the saves that arrive while others are
 * being written share one INSERT statement.
 *
 * @module
 */
import { inArray, type SQL, sql } from "drizzle-orm";
import type { Message } from "../../../core/domain.ts";
import type { OutboxEvent } from "../../../core/ports/message_store.ts";
import { BatchQueue } from "./_batch_queue.ts";
import { insertRows } from "./_json_rows.ts";
import { type MessageInsert, messageToRow } from "./_message_row.ts";
import { outboxRows } from "./_outbox.ts";
import { failureKind } from "./_transient.ts";
import type { PgRunner } from "./pg_runner.ts";
import { deliveries } from "./schema/deliveries.ts";
import { events } from "./schema/events.ts";
import { messages } from "./schema/messages.ts";

interface QueuedSave {
  row: MessageInsert;
  outbox: readonly OutboxEvent[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Counters for benchmarks and tests. */
export interface MessageBatcherStats {
  /** Statements (each its own transaction) committed or attempted, fallbacks included. */
  batches: number;
  /** Saves written. */
  writes: number;
}

/**
 * Queues saves and writes them in batches: up to `maxBatch` saves per statement (one
 * INSERT of messages, events and deliveries together), at most `maxInFlight` statements at
 * once. Under light load a save runs alone as soon as the loop turn ends; under heavy load the
 * saves that queue while the pool is busy share the next statement, so a burst pays for a few
 * commits instead of one each.
 *
 * Each promise settles once its statement committed. A batch that fails for a reason other
 * than a transient one (a duplicate id, a missing webhook) changed nothing and is replayed one
 * save per statement, in call order, so only the faulty save is rejected. When the connection
 * breaks with the statement in flight, the batch's message ids are looked up: all present
 * means it committed (the saves resolve); none means it did not (it is written again).
 *
 * @example
 * ```ts
 * const batcher = new MessageBatcher(runner);
 * await batcher.save(message, [{ event, deliveries: [["dlv_…", "int_…"]] }]);
 * ```
 */
export class MessageBatcher {
  readonly #db: PgRunner;
  readonly #queue: BatchQueue<QueuedSave>;
  #batches = 0;
  #writes = 0;

  /**
   * @param db The pool of a migrated database, with its retry policy.
   * @param options.maxBatch Saves per statement at most; default 256.
   * @param options.maxInFlight Batch statements at once at most; default 4 (of a pool of 10,
   *   leaving connections for reads and other writes).
   */
  constructor(db: PgRunner, options: { maxBatch?: number; maxInFlight?: number } = {}) {
    this.#db = db;
    this.#queue = new BatchQueue((batch) => this.#write(batch), {
      maxBatch: options.maxBatch ?? 256,
      maxInFlight: options.maxInFlight ?? 4,
    });
  }

  /** Queues one save; resolves once it is committed. */
  save(message: Message, outbox: readonly OutboxEvent[]): Promise<void> {
    const row = messageToRow(message);
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ row, outbox, resolve, reject });
    });
  }

  /** Counters since this instance was created. */
  get stats(): MessageBatcherStats {
    return { batches: this.#batches, writes: this.#writes };
  }

  /** Resolves once every queued save has settled (used before closing the pool). */
  drain(): Promise<void> {
    return this.#queue.drain();
  }

  async #write(batch: QueuedSave[]): Promise<void> {
    try {
      await this.#commit(batch);
      for (const save of batch) save.resolve();
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      // Transient failures were already retried by the runner: this one is about the data.
      for (const save of batch) await this.#write([save]);
    }
  }

  /**
   * Writes the batch in one statement (atomic on its own, so no BEGIN/COMMIT round trips);
   * settles a lost answer by looking.
   */
  async #commit(batch: QueuedSave[], lookups = 0): Promise<void> {
    this.#batches++;
    this.#writes += batch.length;
    const rows = batch.map((save) => save.row);
    const outbox = outboxRows(batch.flatMap((save) => save.outbox));
    try {
      await this.#db.write((db) => db.execute(saveStatement(rows, outbox)));
    } catch (error) {
      if (failureKind(error) !== "dropped" || lookups >= 2) throw error;
      // The connection broke with the statement in flight: it committed whole or not at all.
      const ids = rows.map((row) => row.id);
      const found = await this.#db.read((db) =>
        db.select({ id: messages.id }).from(messages).where(inArray(messages.id, ids)),
      );
      if (found.length === ids.length) return;
      if (found.length > 0) throw error;
      await this.#commit(batch, lookups + 1);
    }
  }
}

/**
 * Messages, events and deliveries in ONE statement: each data-modifying CTE inserts one
 * table from a jsonb parameter. Foreign keys are checked at the end of the statement, when
 * every row is in.
 */
function saveStatement(rows: MessageInsert[], outbox: ReturnType<typeof outboxRows>): SQL {
  return sql`
    WITH saved_messages AS (${insertRows(messages, rows)}),
      saved_events AS (${insertRows(events, outbox.events)})
    ${insertRows(deliveries, outbox.deliveries)}`;
}
