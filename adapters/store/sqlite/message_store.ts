/**
 * {@linkcode MessageStore} on SQLite: messages, and the events and deliveries they cause in
 * the same transaction (SPEC.md §4 transactional outbox).
 *
 * @module
 */
import type { Database, Statement } from "bun:sqlite";
import { and, desc, eq, lt } from "drizzle-orm";
import { type BunSQLiteDatabase, drizzle } from "drizzle-orm/bun-sqlite";
import type { Message, MessageStatusChange } from "../../../core/domain.ts";
import { buildMessageEvent, type MessageEventSpec } from "../../../core/message_event.ts";
import type { MessageStore, OutboxEvent } from "../../../core/ports/message_store.ts";
import type { Page, PageRequest } from "../../../core/ports/page.ts";
import { fetchSize, toPage } from "../_page.ts";
import { historyToJson, type MessageRow, messageFromRow, messageToRow } from "./_message_row.ts";
import { type OutboxWriter, prepareOutboxWriter } from "./_outbox.ts";
import { prepareInsert, selectList } from "./_statements.ts";
import { GroupCommit } from "./group_commit.ts";
import { messages } from "./schema/messages.ts";

/**
 * Messages in SQLite. `saveMessage` and `updateMessageStatus` go through the group commit:
 * each resolves once its batch is committed (durable), and a failing one rolls back alone.
 *
 * @example
 * ```ts
 * const store = new SqliteMessageStore(db);
 * await store.saveMessage(message, [{ event, deliveries: [["dlv_…", "int_…"]] }]);
 * ```
 */
export class SqliteMessageStore implements MessageStore {
  readonly #orm: BunSQLiteDatabase;
  readonly #writes: GroupCommit;
  readonly #insertMessage: (row: typeof messages.$inferInsert) => void;
  readonly #outbox: OutboxWriter;
  readonly #byId: Statement<MessageRow, [string]>;
  readonly #byCompanyAndId: Statement<MessageRow, [string, string]>;
  readonly #byProviderId: Statement<MessageRow, [string, string]>;
  readonly #setStatus: Statement<unknown, [string, string, number, string]>;

  /** @param db An open, migrated connection. */
  constructor(db: Database) {
    this.#orm = drizzle({ client: db });
    this.#writes = GroupCommit.for(db);
    this.#insertMessage = prepareInsert(db, messages);
    this.#outbox = prepareOutboxWriter(db);
    const select = `SELECT ${selectList(messages)} FROM messages`;
    this.#byId = db.prepare(`${select} WHERE id = ?`);
    this.#byCompanyAndId = db.prepare(`${select} WHERE company_id = ? AND id = ?`);
    this.#byProviderId = db.prepare(
      `${select} WHERE channel_id = ? AND provider_message_id = ? ORDER BY id DESC LIMIT 1`,
    );
    this.#setStatus = db.prepare(
      "UPDATE messages SET status = ?, history = ?, updated_at = ? WHERE id = ?",
    );
  }

  saveMessage(message: Message, outbox: readonly OutboxEvent[]): Promise<void> {
    const row = messageToRow(message);
    return this.#writes.write(() => {
      this.#insertMessage(row);
      this.#outbox.insertOutbox(outbox);
    });
  }

  /**
   * Appends `change` unless the message already went through that status (its current status
   * or any earlier one in its history): repeated or late provider callbacks change nothing and
   * emit no events. `event` is built from the updated message inside the transaction.
   */
  updateMessageStatus(
    messageId: string,
    change: MessageStatusChange,
    event: MessageEventSpec | null,
  ): Promise<Message | null> {
    return this.#writes.write(() => {
      const row = this.#byId.get(messageId);
      if (row === null) return null;
      const current = messageFromRow(row);
      if (current.status === change.status) return null;
      if (current.history.some((entry) => entry.status === change.status)) return null;
      const updated: Message = {
        ...current,
        status: change.status,
        history: [...current.history, change],
        updatedAt: change.at,
      };
      this.#setStatus.run(
        updated.status,
        historyToJson(updated.history),
        change.at.getTime(),
        messageId,
      );
      if (event !== null) this.#outbox.insertOutbox([buildMessageEvent(updated, event)]);
      return updated;
    });
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
