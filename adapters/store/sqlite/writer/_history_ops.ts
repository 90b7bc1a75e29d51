/**
 * Write operation of the message store for provider notes (e-mail delivery delayed): the
 * history grows, the status stays, no event.
 *
 * @module
 */
import type { Database, Statement } from "bun:sqlite";
import { addHistoryNote, type HistoryNote } from "../../../../core/message_history_note.ts";
import { historyToJson, type MessageRow, messageFromRow } from "../_message_row.ts";
import { selectList } from "../_statements.ts";
import { messages } from "../schema/messages.ts";

/** The note write on `db` (see {@linkcode createWriteOps}). */
export function historyOps(db: Database) {
  const byId: Statement<MessageRow, [string]> = db.prepare(
    `SELECT ${selectList(messages)} FROM messages WHERE id = ?`,
  );
  const setHistory: Statement<unknown, [string, number, string]> = db.prepare(
    "UPDATE messages SET history = ?, updated_at = ? WHERE id = ?",
  );
  return {
    /** Appends the note unless the message has it or is past `sent`; true when it did. */
    "messages.note": (messageId: string, note: HistoryNote): boolean => {
      const row = byId.get(messageId);
      if (row === null) return false;
      const noted = addHistoryNote(messageFromRow(row), note);
      if (noted === null) return false;
      setHistory.run(historyToJson(noted.history), note.at.getTime(), messageId);
      return true;
    },
  };
}
