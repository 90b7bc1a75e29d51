/**
 * {@linkcode MessageStore} on Postgres: messages, and the events and deliveries they cause in
 * the same transaction (SPEC.md §4 transactional outbox).
 *
 * @module
 */
import { and, asc, desc, eq, lt, lte, type SQL, sql } from "drizzle-orm";
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
import { insertRows } from "./_json_rows.ts";
import { historyToJson, messageFromRow, messageToRow } from "./_message_row.ts";
import { outboxRows } from "./_outbox.ts";
import { applyProviderReports, applySendOutcomes, type OutcomeWrite } from "./_provider_reports.ts";
import { MessageBatcher, type MessageBatcherStats } from "./message_batcher.ts";
import type { PgRunner } from "./pg_runner.ts";
import { deliveries } from "./schema/deliveries.ts";
import { events } from "./schema/events.ts";
import { messages } from "./schema/messages.ts";
import { StatusBatcher } from "./status_batcher.ts";

/**
 * Messages in Postgres. `saveMessage` goes through a {@linkcode MessageBatcher} (a small
 * group commit); every status write through a group commit of transactions that locks the
 * message rows (`SELECT … FOR NO KEY UPDATE`) and applies the status rule under that lock, so
 * concurrent reports for one message, on any instance, apply one after the other and each
 * sees the last. `receiveMessage` is one statement whose insert yields to the unique key.
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
    this.#outcomes = new BatchedTransaction(db, applySendOutcomes);
    this.#reports = new BatchedTransaction(db, applyProviderReports);
  }

  /** Resolves once the message, its events and deliveries are committed. */
  saveMessage(message: Message, outbox: readonly OutboxEvent[]): Promise<void> {
    return this.#batcher.save(message, outbox);
  }

  /**
   * One statement: the insert yields to the unique key on inbound provider ids, and the events
   * are inserted only when it did not. Retried after a dropped connection: a second run finds
   * the first's row and changes nothing.
   */
  async receiveMessage(message: Message, outbox: readonly OutboxEvent[]): Promise<boolean> {
    const rows = await this.#db.write((db) => db.execute(receiveStatement(message, outbox)), {
      idempotent: true,
    });
    return (rows as unknown as Array<{ n: number }>)[0]?.n === 1;
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
      this.#outcomes.drain(),
      this.#reports.drain(),
    ]).then(() => undefined);
  }
}

/** The inbound message and, only if it was inserted, its events: `SELECT n` says which. */
function receiveStatement(message: Message, outbox: readonly OutboxEvent[]): SQL {
  const rows = outboxRows(outbox);
  return sql`
    WITH saved_messages AS (
      ${insertRows(messages, [messageToRow(message)])} ON CONFLICT DO NOTHING RETURNING id
    ), saved_events AS (
      ${insertRows(events, rows.events)} WHERE EXISTS (SELECT 1 FROM saved_messages)
    ), saved_deliveries AS (
      ${insertRows(deliveries, rows.deliveries)} WHERE EXISTS (SELECT 1 FROM saved_messages)
    )
    SELECT count(*)::int AS n FROM saved_messages`;
}
