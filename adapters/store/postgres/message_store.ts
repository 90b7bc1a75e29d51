/**
 * {@linkcode MessageStore} on Postgres: messages, and the events and deliveries they cause in
 * the same transaction (SPEC.md §4 transactional outbox).
 *
 * @module
 */
import { and, desc, eq, lt } from "drizzle-orm";
import type { Message, MessageStatusChange } from "../../../core/domain.ts";
import type { MessageStore, OutboxEvent } from "../../../core/ports/message_store.ts";
import type { Page, PageRequest } from "../../../core/ports/page.ts";
import { fetchSize, toPage } from "../_page.ts";
import { historyToJson, messageFromRow } from "./_message_row.ts";
import { insertOutboxRows, outboxRows } from "./_outbox.ts";
import { MessageBatcher, type MessageBatcherStats } from "./message_batcher.ts";
import type { PgRunner } from "./pg_runner.ts";
import { messages } from "./schema/messages.ts";

/**
 * Messages in Postgres. `saveMessage` goes through a {@linkcode MessageBatcher} (a small
 * group commit); `updateMessageStatus` locks the message row (`SELECT … FOR UPDATE`), so
 * concurrent callbacks for one message, on any instance, apply one after the other and the
 * second sees the first's status.
 *
 * @example
 * ```ts
 * const store = new PostgresMessageStore(runner);
 * await store.saveMessage(message, [{ event, deliveries: [["dlv_…", "int_…"]] }]);
 * ```
 */
export class PostgresMessageStore implements MessageStore {
  readonly #db: PgRunner;
  readonly #batcher: MessageBatcher;

  /**
   * @param db The pool of a migrated database, with its retry policy.
   * @param options.batching Group-commit limits (see {@linkcode MessageBatcher}).
   */
  constructor(
    db: PgRunner,
    options: { batching?: { maxBatch?: number; maxInFlight?: number } } = {},
  ) {
    this.#db = db;
    this.#batcher = new MessageBatcher(db, options.batching);
  }

  /** Resolves once the message, its events and deliveries are committed. */
  saveMessage(message: Message, outbox: readonly OutboxEvent[]): Promise<void> {
    return this.#batcher.save(message, outbox);
  }

  /**
   * Appends `change` unless the message already went through that status (its current status
   * or any earlier one in its history): repeated or late provider callbacks change nothing and
   * emit no events. `events` runs inside the transaction with the updated message; it must be
   * free of side effects, as a transaction that meets a dropped connection is run again.
   */
  updateMessageStatus(
    messageId: string,
    change: MessageStatusChange,
    events: (message: Message) => readonly OutboxEvent[],
  ): Promise<Message | null> {
    return this.#db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(messages)
        .where(eq(messages.id, messageId))
        .for("update");
      if (row === undefined) return null;
      const current = messageFromRow(row);
      if (current.status === change.status) return null;
      if (current.history.some((entry) => entry.status === change.status)) return null;
      const updated: Message = {
        ...current,
        status: change.status,
        history: [...current.history, change],
        updatedAt: change.at,
      };
      await tx
        .update(messages)
        .set({
          status: updated.status,
          history: historyToJson(updated.history),
          updatedAt: change.at,
        })
        .where(eq(messages.id, messageId));
      await insertOutboxRows(tx, outboxRows(events(updated)));
      return updated;
    });
  }

  async getMessage(companyId: string, id: string): Promise<Message | null> {
    const [row] = await this.#db.read((db) =>
      db
        .select()
        .from(messages)
        .where(and(eq(messages.companyId, companyId), eq(messages.id, id))),
    );
    return row === undefined ? null : messageFromRow(row);
  }

  async findMessageByProviderId(
    channelId: string,
    providerMessageId: string,
  ): Promise<Message | null> {
    const [row] = await this.#db.read((db) =>
      db
        .select()
        .from(messages)
        .where(
          and(eq(messages.channelId, channelId), eq(messages.providerMessageId, providerMessageId)),
        )
        .orderBy(desc(messages.id))
        .limit(1),
    );
    return row === undefined ? null : messageFromRow(row);
  }

  async listMessages(
    companyId: string,
    page: PageRequest & { channelId?: string },
  ): Promise<Page<Message>> {
    const rows = await this.#db.read((db) =>
      db
        .select()
        .from(messages)
        .where(
          and(
            eq(messages.companyId, companyId),
            page.channelId === undefined ? undefined : eq(messages.channelId, page.channelId),
            page.cursor === undefined ? undefined : lt(messages.id, page.cursor),
          ),
        )
        .orderBy(desc(messages.id))
        .limit(fetchSize(page)),
    );
    return toPage(rows.map(messageFromRow), page);
  }

  /** Group-commit counters of `saveMessage`. */
  get writeStats(): MessageBatcherStats {
    return this.#batcher.stats;
  }

  /** Resolves once every queued save has settled. */
  drain(): Promise<void> {
    return this.#batcher.drain();
  }
}
