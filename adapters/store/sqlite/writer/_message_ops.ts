/**
 * Write operations of the message store: messages with the events they cause, in the same
 * transaction (SPEC.md §4 transactional outbox).
 *
 * @module
 */
import type { Database, SQLQueryBindings, Statement } from "bun:sqlite";
import type { MessageStatusChange } from "../../../../core/domain.ts";
import { buildMessageEvent, type MessageEventSpec } from "../../../../core/message_event.ts";
import { applyStatusChange } from "../../../../core/message_status.ts";
import { historyToJson, type MessageRow, messageFromRow } from "../_message_row.ts";
import { type OutboxValues, prepareOutboxWriter } from "../_outbox.ts";
import { prepareInsertValues, selectList } from "../_statements.ts";
import { messages } from "../schema/messages.ts";

/** The message writes on `db` (see {@linkcode createWriteOps}). */
export function messageOps(db: Database) {
  const insertMessage = prepareInsertValues(db, messages);
  const outbox = prepareOutboxWriter(db);
  const byId: Statement<MessageRow, [string]> = db.prepare(
    `SELECT ${selectList(messages)} FROM messages WHERE id = ?`,
  );
  const setStatus: Statement<unknown, [string, string, number, string]> = db.prepare(
    "UPDATE messages SET status = ?, history = ?, updated_at = ? WHERE id = ?",
  );

  return {
    /** A message and its events, as {@linkcode messageValues} and {@linkcode outboxValues}. */
    "messages.save": (
      message: readonly SQLQueryBindings[],
      events: readonly OutboxValues[],
    ): void => {
      insertMessage(message);
      outbox.insertOutboxValues(events);
    },
    /**
     * Appends `change` unless the message already went through that status (its current
     * status or any earlier one in its history), with the event built from the updated message.
     */
    "messages.updateStatus": (
      messageId: string,
      change: MessageStatusChange,
      event: MessageEventSpec | null,
    ): boolean => {
      const row = byId.get(messageId);
      if (row === null) return false;
      const updated = applyStatusChange(messageFromRow(row), change);
      if (updated === null) return false;
      setStatus.run(updated.status, historyToJson(updated.history), change.at.getTime(), messageId);
      if (event !== null) outbox.insertOutbox([buildMessageEvent(updated, event)]);
      return true;
    },
  };
}
