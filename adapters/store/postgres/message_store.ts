/**
 * {@linkcode MessageStore} on Postgres: messages, and the events and deliveries they cause in
 * the same transaction (docs/architecture.md#the-life-of-one-delivery transactional outbox).
 *
 * @module
 */
import { and, asc, desc, eq, lt, lte, sql } from "drizzle-orm";
import type { Message } from "../../../core/domain.ts";
import type { MessageEventSpec } from "../../../core/message_event.ts";
import { addHistoryNote, type HistoryNote } from "../../../core/message_history_note.ts";
import type { StatusReport } from "../../../core/message_status.ts";
import type {
  MessageStore,
  OutboxEvent,
  ProviderReport,
  ProviderReportOutcome,
  SendOutcome,
  StatusChangeOutcome,
} from "../../../core/ports/message_store.ts";
import type { Page, PageRequest } from "../../../core/ports/page.ts";
import { fetchSize, toPage } from "../_page.ts";
import { BatchedTransaction } from "./_batched_transaction.ts";
import { historyToJson, messageFromRow } from "./_message_row.ts";
import { applyProviderReports, applySendOutcomes, type OutcomeWrite } from "./_provider_reports.ts";
import { InboundBatcher } from "./inbound_batcher.ts";
import { MessageBatcher, type MessageBatcherStats } from "./message_batcher.ts";
import type { PgRunner } from "./pg_runner.ts";
import { messages } from "./schema/messages.ts";
import { StatusBatcher } from "./status_batcher.ts";

/**
 * Messages in Postgres. `saveMessage` goes through a {@linkcode MessageBatcher} (a small
 * group commit); every status write through a group commit of transactions that locks the
 * message rows (`SELECT … FOR NO KEY UPDATE`) and applies the status rule under that lock, so
 * concurrent reports for one message, on any instance, apply one after the other and each
 * sees the last. `receiveMessage` is group-committed too (an {@linkcode InboundBatcher}).
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
  readonly #statuses: StatusBatcher;
  readonly #inbound: InboundBatcher;
  readonly #outcomes: BatchedTransaction<OutcomeWrite, number>;
  readonly #reports: BatchedTransaction<ProviderReport, ProviderReportOutcome>;

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
    this.#statuses = new StatusBatcher(db);
    this.#inbound = new InboundBatcher(db);
    this.#outcomes = new BatchedTransaction(db, applySendOutcomes);
    this.#reports = new BatchedTransaction(db, applyProviderReports);
  }

  /** Resolves once the message, its events and deliveries are committed. */
  saveMessage(message: Message, outbox: readonly OutboxEvent[]): Promise<void> {
    return this.#batcher.save(message, outbox);
  }

  /** Group-committed; each insert yields to the unique key on inbound provider ids. */
  receiveMessage(message: Message, outbox: readonly OutboxEvent[]): Promise<boolean> {
    return this.#inbound.receive(message, outbox);
  }

  updateMessageStatus(
    messageId: string,
    report: StatusReport,
    event: MessageEventSpec | null,
  ): Promise<StatusChangeOutcome> {
    return this.#statuses.update(messageId, report, event);
  }

  recordSendOutcome(
    messageId: string,
    outcome: SendOutcome,
    event: MessageEventSpec | null,
  ): Promise<number> {
    return this.#outcomes.run({ messageId, outcome, event });
  }

  reportStatus(report: ProviderReport): Promise<ProviderReportOutcome> {
    return this.#reports.run(report);
  }

  async listAwaitingSandboxReport(before: Date, limit: number): Promise<Message[]> {
    const rows = await this.#db.read((db) =>
      db
        .select()
        .from(messages)
        // Exactly the partial index's condition, so only the owed reports are read.
        .where(and(sql`provider = 'sandbox' AND status = 'sent'`, lte(messages.createdAt, before)))
        .orderBy(asc(messages.createdAt))
        .limit(limit),
    );
    return rows.map(messageFromRow);
  }

  /** One transaction that locks the row, so a note and a status change never overwrite each other. */
  noteMessageHistory(messageId: string, note: HistoryNote): Promise<boolean> {
    return this.#db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(messages)
        .where(eq(messages.id, messageId))
        .for("no key update");
      const noted = row === undefined ? null : addHistoryNote(messageFromRow(row), note);
      if (noted === null) return false;
      await tx
        .update(messages)
        .set({ history: historyToJson(noted.history), updatedAt: note.at })
        .where(eq(messages.id, messageId));
      return true;
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
    return Promise.all([
      this.#batcher.drain(),
      this.#statuses.drain(),
      this.#inbound.drain(),
      this.#outcomes.drain(),
      this.#reports.drain(),
    ]).then(() => undefined);
  }
}
