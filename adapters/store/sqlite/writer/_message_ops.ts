/**
 * Write operations of the message store that insert messages: messages with the events they
 * cause, in the same transaction (the transactional outbox, README "Webhooks").
 *
 * @module
 */
import type { Database, SQLQueryBindings, Statement } from "bun:sqlite";
import { type OutboxValues, prepareOutboxWriter } from "../_outbox.ts";
import { insertSql, prepareInsertValues } from "../_statements.ts";
import { messages } from "../schema/messages.ts";
import { statusOps } from "./_status_ops.ts";

/** The message writes on `db` (see {@linkcode createWriteOps}). */
export function messageOps(db: Database) {
  const insertMessage = prepareInsertValues(db, messages);
  // The unique key on inbound provider ids decides which of several identical callbacks wins.
  const insertInbound: Statement<unknown, SQLQueryBindings[]> = db.prepare(
    `${insertSql(messages)} ON CONFLICT DO NOTHING`,
  );
  const outbox = prepareOutboxWriter(db);

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
     * An inbound message and its events, unless the channel has an inbound message with the
     * same provider id already: then nothing, and false.
     */
    "messages.receive": (
      message: readonly SQLQueryBindings[],
      events: readonly OutboxValues[],
    ): boolean => {
      if (insertInbound.run(...message).changes === 0) return false;
      outbox.insertOutboxValues(events);
      return true;
    },
    ...statusOps(db, outbox),
  };
}
