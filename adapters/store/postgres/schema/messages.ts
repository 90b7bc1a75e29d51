import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import type { MessageStatus } from "../../../../core/domain.ts";
import { instant, jsonDocument } from "./_columns.ts";
import { channels } from "./channels.ts";
import { companies } from "./companies.ts";

/** A history entry as stored: `at` in Unix ms (as in SQLite), `reason` only when there is one. */
export interface StatusChangeJson {
  status: MessageStatus;
  at: number;
  reason?: string;
  /** Only `false`: a report kept without changing the message. */
  applied?: false;
}

/**
 * Sent and received messages. The status history is a jsonb column: it is only ever read and
 * written with its message, and one row per send keeps the hot path to one insert.
 */
export const messages = pgTable(
  "messages",
  {
    id: text("id").primaryKey(),
    companyId: text("company_id")
      .notNull()
      .references(() => companies.id),
    channelId: text("channel_id")
      .notNull()
      .references(() => channels.id),
    channelType: text("channel_type", { enum: ["whatsapp", "email", "sms"] }).notNull(),
    direction: text("direction", { enum: ["outbound", "inbound"] }).notNull(),
    /** No foreign key: a message outlives the integration that sent it. */
    integrationId: text("integration_id"),
    status: text("status", {
      enum: ["queued", "sent", "delivered", "read", "failed", "received"],
    }).notNull(),
    provider: text("provider", { enum: ["sandbox", "resend", "twilio", "meta", "smtp"] }).notNull(),
    providerMessageId: text("provider_message_id"),
    /** Recipients (outbound) or the sender (inbound). */
    recipients: jsonDocument("recipients").$type<string[]>().notNull(),
    sender: text("sender").notNull(),
    /** The normalized payload. jsonb keeps values, not key order or whitespace. */
    payload: jsonDocument("payload").$type<Record<string, unknown>>().notNull(),
    segments: integer("segments"),
    credits: integer("credits").notNull(),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    history: jsonDocument("history").$type<StatusChangeJson[]>().notNull(),
    createdAt: instant("created_at").notNull(),
    updatedAt: instant("updated_at").notNull(),
    /**
     * An asynchronous send still queued (README "Throughput, retries, async and scheduled
     * sends"): when it is due at its provider; null for every other message.
     */
    dueAt: instant("due_at"),
    /** The asynchronous send's attempts so far. */
    sendAttempts: integer("send_attempts"),
    /** Until when a worker holds the send (it is at the provider): not claimable, not cancelable. */
    leaseUntil: instant("lease_until"),
    /** The provider idempotency key every attempt of the asynchronous send carries. */
    sendKey: text("send_key"),
  },
  (t) => [
    index("messages_company_idx").on(t.companyId, t.id),
    index("messages_company_channel_idx").on(t.companyId, t.channelId, t.id),
    index("messages_provider_id_idx").on(t.channelId, t.providerMessageId),
    // One inbound message per provider id on a channel, however often the provider calls back.
    uniqueIndex("messages_inbound_provider_id_key")
      .on(t.channelId, t.providerMessageId)
      .where(sql`direction = 'inbound'`),
    // The sandbox's reports still owed: durable scheduled work, found after a restart.
    index("messages_sandbox_sent_idx")
      .on(t.createdAt)
      .where(sql`provider = 'sandbox' AND status = 'sent'`),
    // Sends waiting for their provider's answer, counted by /metrics (docs/operations.md).
    index("messages_queued_idx").on(t.createdAt).where(sql`status = 'queued'`),
    // The asynchronous sends still queued, by the time they are due.
    index("messages_queued_due_idx")
      .on(t.dueAt)
      .where(sql`status = 'queued' AND due_at IS NOT NULL`),
  ],
);
