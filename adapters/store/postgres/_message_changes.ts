/**
 * What the status writes on Postgres share: locking the messages of a batch, applying the
 * status rule to them in memory (in call order, so two reports of one message in one batch
 * see each other), and writing every changed message with its events in one statement.
 *
 * @module
 */
import { type SQL, sql } from "drizzle-orm";
import type { Message } from "../../../core/domain.ts";
import { buildMessageEvent, type MessageEventSpec } from "../../../core/message_event.ts";
import { applyStatusChange, type StatusReport } from "../../../core/message_status.ts";
import type { OutboxEvent } from "../../../core/ports/message_store.ts";
import { insertRows } from "./_json_rows.ts";
import { historyToJson, messageFromRow } from "./_message_row.ts";
import { outboxRows } from "./_outbox.ts";
import type { PgTx } from "./pg_runner.ts";
import { deliveries } from "./schema/deliveries.ts";
import { events } from "./schema/events.ts";
import { messages } from "./schema/messages.ts";

/**
 * Locks the messages `ids` (`FOR NO KEY UPDATE`, in id order so concurrent batches on any
 * instance never deadlock) and reads them.
 */
export async function lockMessages(tx: PgTx, ids: readonly string[]): Promise<Message[]> {
  const sorted = [...new Set(ids)].sort();
  if (sorted.length === 0) return [];
  const rows = await tx
    .select()
    .from(messages)
    .where(sql`${messages.id} = ANY(${sql.param(sorted)}::text[])`)
    .orderBy(messages.id)
    // NO KEY UPDATE, as the UPDATE itself takes: it serializes status changes of a message
    // without blocking the foreign-key checks (KEY SHARE) of rows that reference it.
    .for("no key update");
  return rows.map(messageFromRow);
}

/**
 * Takes the transaction-level advisory lock of each `channelId/providerMessageId`, in a
 * stable order: a report that finds no message and the write that gives a message that id
 * take the same lock, so the report is either seen by that write or sees the message.
 */
export async function lockProviderIds(tx: PgTx, keys: readonly string[]): Promise<void> {
  const sorted = [...new Set(keys)].sort();
  if (sorted.length === 0) return;
  await tx.execute(
    sql`SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest(${sql.param(sorted)}::text[]) AS k`,
  );
}

/** The advisory-lock key of a provider message id on a channel. */
export function providerIdKey(channelId: string, providerMessageId: string): string {
  return `${channelId}/${providerMessageId}`;
}

/** The messages of one batch as they change, and the events the changes cause. */
export class MessageChanges {
  readonly #current = new Map<string, Message>();
  readonly #changed = new Map<string, Message>();
  readonly #outbox: OutboxEvent[] = [];

  /** @param locked The batch's messages as read under lock. */
  constructor(locked: readonly Message[]) {
    for (const message of locked) this.#current.set(message.id, message);
  }

  /** The message as it stands now in this batch; undefined when it was not locked. */
  get(id: string): Message | undefined {
    return this.#current.get(id);
  }

  /** Records `message` as its new state. */
  set(message: Message): void {
    this.#current.set(message.id, message);
    this.#changed.set(message.id, message);
  }

  /** Applies `report` by the status rule; the event joins the batch when it applied. */
  apply(message: Message, report: StatusReport, event: MessageEventSpec | null): boolean {
    const outcome = applyStatusChange(message, report);
    this.set(outcome.message);
    if (outcome.applied && event !== null) {
      this.#outbox.push(buildMessageEvent(outcome.message, event));
    }
    return outcome.applied;
  }

  /** How many events the batch wrote so far. */
  get eventCount(): number {
    return this.#outbox.length;
  }

  /** Writes every changed message and the events in one statement. */
  async write(tx: PgTx): Promise<void> {
    if (this.#changed.size > 0) {
      await tx.execute(writeStatement([...this.#changed.values()], this.#outbox));
    }
  }
}

/**
 * The changed messages, their events and deliveries in ONE statement; the message rows go as
 * one jsonb parameter, so the statement text is the same for every batch size.
 */
function writeStatement(changed: readonly Message[], outbox: readonly OutboxEvent[]): SQL {
  const updates = changed.map((message) => ({
    id: message.id,
    status: message.status,
    history: historyToJson(message.history),
    updated_at: message.updatedAt.toISOString(),
    provider_message_id: message.providerMessageId,
    error_code: message.error?.code ?? null,
    error_message: message.error?.message ?? null,
    credits: message.credits,
  }));
  const rows = outboxRows(outbox);
  return sql`
    WITH updated AS (
      UPDATE ${messages} SET status = u.status, history = u.history, updated_at = u.updated_at,
        provider_message_id = u.provider_message_id, error_code = u.error_code,
        error_message = u.error_message, credits = u.credits
      FROM jsonb_to_recordset(${sql.param(updates)}::jsonb)
        AS u(id text, status text, history jsonb, updated_at timestamptz,
          provider_message_id text, error_code text, error_message text, credits integer)
      -- The id list keeps the plan on the primary key whatever the cached plan thinks of
      -- the table's size (a plan made while it was small would join by a full scan).
      WHERE ${messages.id} = u.id AND ${messages.id} = ANY(${sql.param(changed.map((m) => m.id))}::text[])
    ), saved_events AS (${insertRows(events, rows.events)})
    ${insertRows(deliveries, rows.deliveries)}`;
}
