/**
 * {@linkcode SendQueue} on Postgres: the queued messages with a due time. Claims lock the rows
 * they lease (`FOR UPDATE SKIP LOCKED`), so workers of any instance never hold one send at once.
 *
 * @module
 */
import { and, asc, eq, isNotNull, isNull, lte, or, sql } from "drizzle-orm";
import type { Message } from "../../../core/domain.ts";
import type { MessageEventSpec } from "../../../core/message_event.ts";
import type { CancelSendOutcome, QueuedSend, SendQueue } from "../../../core/ports/send_queue.ts";
import { type MessageRow, messageFromRow, messageToRow } from "./_message_row.ts";
import { applySendOutcomes } from "./_provider_reports.ts";
import type { PgRunner } from "./pg_runner.ts";
import { messages } from "./schema/messages.ts";

/** The asynchronous send queue in Postgres. */
export class PostgresSendQueue implements SendQueue {
  readonly #db: PgRunner;

  /** @param db the pool of a migrated database, with its retry policy */
  constructor(db: PgRunner) {
    this.#db = db;
  }

  async enqueueSend(message: Message, options: { dueAt: Date; sendKey: string }): Promise<void> {
    const row = { ...messageToRow(message), ...options, sendAttempts: 0 };
    await this.#db.transaction((tx) => tx.insert(messages).values(row));
  }

  async claimDueSends(
    now: Date,
    options: { leaseUntil: Date; limit: number },
  ): Promise<QueuedSend[]> {
    const due = and(
      eq(messages.status, "queued"),
      isNotNull(messages.dueAt),
      lte(messages.dueAt, now),
      or(isNull(messages.leaseUntil), lte(messages.leaseUntil, now)),
    );
    const rows = await this.#db.transaction(async (tx) => {
      const ids = tx
        .select({ id: messages.id })
        .from(messages)
        .where(due)
        .orderBy(asc(messages.dueAt))
        .limit(options.limit)
        .for("update", { skipLocked: true });
      return tx
        .update(messages)
        .set({ leaseUntil: options.leaseUntil })
        .where(sql`${messages.id} IN ${ids}`)
        .returning();
    });
    // RETURNING keeps no order: oldest due first, as the port says.
    return rows.map(queuedSendFromRow).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  }

  async retrySendLater(
    messageId: string,
    options: { dueAt: Date; attempts: number },
  ): Promise<void> {
    const { dueAt, attempts } = options;
    await this.#db.write(
      (db) =>
        db
          .update(messages)
          .set({ dueAt, sendAttempts: attempts, leaseUntil: null })
          .where(and(eq(messages.id, messageId), eq(messages.status, "queued"))),
      { idempotent: true },
    );
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
    const mine = and(eq(messages.companyId, companyId), eq(messages.id, messageId));
    return this.#db.transaction(async (tx) => {
      const released = await tx
        .update(messages)
        .set({ dueAt: null, leaseUntil: null })
        .where(
          and(
            mine,
            eq(messages.status, "queued"),
            isNotNull(messages.dueAt),
            or(isNull(messages.leaseUntil), lte(messages.leaseUntil, now)),
          ),
        )
        .returning({ id: messages.id });
      if (released.length === 0) {
        const found = await tx.select({ id: messages.id }).from(messages).where(mine);
        return found.length === 0 ? "unknown" : "left";
      }
      await applySendOutcomes(tx, [{ messageId, outcome: { ok: false, error, at: now }, event }]);
      return "canceled";
    });
  }
}

function queuedSendFromRow(row: MessageRow): QueuedSend {
  return {
    message: messageFromRow(row),
    attempts: row.sendAttempts ?? 0,
    sendKey: row.sendKey ?? row.id,
    dueAt: row.dueAt ?? row.createdAt,
  };
}
