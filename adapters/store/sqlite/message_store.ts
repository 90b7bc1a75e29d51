/**
 * {@linkcode MessageStore} on SQLite: messages, and the events and deliveries they cause in
 * the same transaction (docs/architecture.md#the-life-of-one-delivery transactional outbox).
 *
 * @module
 */
import type { Database, Statement } from "bun:sqlite";
import { and, desc, eq, lt } from "drizzle-orm";
import { type BunSQLiteDatabase, drizzle } from "drizzle-orm/bun-sqlite";
import type { Message } from "../../../core/domain.ts";
import type { MessageEventSpec } from "../../../core/message_event.ts";
import type { HistoryNote } from "../../../core/message_history_note.ts";
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
import { type MessageRow, messageFromRow, messageValues } from "./_message_row.ts";
import { outboxValues } from "./_outbox.ts";
import { selectList } from "./_statements.ts";
import { messages } from "./schema/messages.ts";
import type { SqliteWriter } from "./writer/sqlite_writer.ts";

/**
 * Messages in SQLite. Every write goes through the store's writer (`messages.save`,
 * `messages.receive`, and the status operations of `writer/_status_ops.ts`, which apply the
 * status rule inside the transaction): each resolves once its batch is committed (durable),
 * and a failing one rolls back alone. Reads use `db`.
 *
 * @example
 * ```ts
 * const store = new SqliteMessageStore(db, writes);
 * await store.saveMessage(message, [{ event, deliveries: [["dlv_…", "int_…"]] }]);
 * ```
 */
export class SqliteMessageStore implements MessageStore {
  readonly #orm: BunSQLiteDatabase;
  readonly #writes: SqliteWriter;
  readonly #byCompanyAndId: Statement<MessageRow, [string, string]>;
  readonly #byProviderId: Statement<MessageRow, [string, string]>;
  readonly #awaitingSandbox: Statement<MessageRow, [number, number]>;

  /**
   * @param db An open, migrated connection (reads).
   * @param writes The store's writer (writes, in call order across stores).
   */
  constructor(db: Database, writes: SqliteWriter) {
    this.#orm = drizzle({ client: db });
    this.#writes = writes;
    const select = `SELECT ${selectList(messages)} FROM messages`;
    this.#byCompanyAndId = db.prepare(`${select} WHERE company_id = ? AND id = ?`);
    this.#byProviderId = db.prepare(
      `${select} WHERE channel_id = ? AND provider_message_id = ? ORDER BY id DESC LIMIT 1`,
    );
    // Exactly the partial index's condition, so SQLite reads only the owed reports.
    this.#awaitingSandbox = db.prepare(
      `${select} WHERE provider = 'sandbox' AND status = 'sent' AND created_at <= ? ORDER BY created_at LIMIT ?`,
    );
  }

  saveMessage(message: Message, outbox: readonly OutboxEvent[]): Promise<void> {
    return this.#writes.write("messages.save", [messageValues(message), outboxValues(outbox)]);
  }

  receiveMessage(message: Message, outbox: readonly OutboxEvent[]): Promise<boolean> {
    return this.#writes.write("messages.receive", [messageValues(message), outboxValues(outbox)]);
  }

  updateMessageStatus(
    messageId: string,
    report: StatusReport,
    event: MessageEventSpec | null,
  ): Promise<StatusChangeOutcome> {
    return this.#writes.write("messages.updateStatus", [messageId, report, event]);
  }

  recordSendOutcome(
    messageId: string,
    outcome: SendOutcome,
    event: MessageEventSpec | null,
  ): Promise<number> {
    return this.#writes.write("messages.recordSendOutcome", [messageId, outcome, event]);
  }

  reportStatus(report: ProviderReport): Promise<ProviderReportOutcome> {
    return this.#writes.write("messages.report", [report]);
  }

  listAwaitingSandboxReport(before: Date, limit: number): Promise<Message[]> {
    return Promise.resolve(this.#awaitingSandbox.all(before.getTime(), limit).map(messageFromRow));
  }

  noteMessageHistory(messageId: string, note: HistoryNote): Promise<boolean> {
    return this.#writes.write("messages.note", [messageId, note]);
  }

  getMessage(companyId: string, id: string): Promise<Message | null> {
    const row = this.#byCompanyAndId.get(companyId, id);
    return Promise.resolve(row === null ? null : messageFromRow(row));
  }

  findMessageByProviderId(channelId: string, providerMessageId: string): Promise<Message | null> {
    const row = this.#byProviderId.get(channelId, providerMessageId);
    return Promise.resolve(row === null ? null : messageFromRow(row));
  }

  listMessages(
    companyId: string,
    page: PageRequest & { channelId?: string },
  ): Promise<Page<Message>> {
    const rows = this.#orm
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
      .limit(fetchSize(page))
      .all();
    return Promise.resolve(toPage(rows.map(messageFromRow), page));
  }
}
