/**
 * {@linkcode SendQueue} on SQLite: the queued messages with a due time, written through the
 * store's writer like every other write.
 *
 * @module
 */
import type { Message } from "../../../core/domain.ts";
import type { MessageEventSpec } from "../../../core/message_event.ts";
import type { CancelSendOutcome, QueuedSend, SendQueue } from "../../../core/ports/send_queue.ts";
import { type MessageRow, messageFromRow, messageValues } from "./_message_row.ts";
import type { SqliteWriter } from "./writer/sqlite_writer.ts";

/** The asynchronous send queue in SQLite. */
export class SqliteSendQueue implements SendQueue {
  readonly #writes: SqliteWriter;

  /** @param writes the store's writer */
  constructor(writes: SqliteWriter) {
    this.#writes = writes;
  }

  enqueueSend(message: Message, options: { dueAt: Date; sendKey: string }): Promise<void> {
    const { dueAt, sendKey } = options;
    return this.#writes.write("sends.enqueue", [messageValues(message), dueAt.getTime(), sendKey]);
  }

  async claimDueSends(
    now: Date,
    options: { leaseUntil: Date; limit: number },
  ): Promise<QueuedSend[]> {
    const args = [now.getTime(), options.leaseUntil.getTime(), options.limit] as const;
    const rows = await this.#writes.write("sends.claim", [...args]);
    // RETURNING keeps no order: oldest due first, as the port says.
    return rows.map(queuedSendFromRow).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  }

  retrySendLater(messageId: string, options: { dueAt: Date; attempts: number }): Promise<void> {
    const args = [messageId, options.dueAt.getTime(), options.attempts] as const;
    return this.#writes.write("sends.retryLater", [...args]);
  }

  cancelSend(
    companyId: string,
    messageId: string,
    options: {
      now: Date;
      error: { code: string; message: string };
      event: MessageEventSpec | null;
    },
  ): Promise<CancelSendOutcome> {
    const { now, error, event } = options;
    const outcome = { ok: false as const, error, at: now };
    return this.#writes.write("sends.cancel", [
      companyId,
      messageId,
      { now: now.getTime(), outcome, event },
    ]);
  }
}

function queuedSendFromRow(row: MessageRow): QueuedSend {
  return {
    message: messageFromRow(row),
    attempts: row.sendAttempts ?? 0,
    sendKey: row.sendKey ?? row.id,
    dueAt: new Date(row.dueAt ?? row.createdAt),
  };
}
