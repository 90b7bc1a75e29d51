import { index, integer, pgTable, text } from "drizzle-orm/pg-core";
import type { MessageStatus } from "../../../../core/domain.ts";
import { instant, jsonDocument } from "./_columns.ts";
import { channels } from "./channels.ts";
import { companies } from "./companies.ts";

/** A history entry as stored: `at` in Unix ms (as in SQLite), `reason` only when there is one. */
export interface StatusChangeJson {
  status: MessageStatus;
  at: number;
  reason?: string;
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
  },
  (t) => [
    index("messages_company_idx").on(t.companyId, t.id),
    index("messages_company_channel_idx").on(t.companyId, t.channelId, t.id),
    index("messages_provider_id_idx").on(t.channelId, t.providerMessageId),
  ],
);
