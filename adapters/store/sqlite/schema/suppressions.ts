import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { companies } from "./companies.ts";

/**
 * Addresses a company's channels of one type must not message (README "Suppressions"). One
 * row per company, channel type and address: a second STOP or bounce finds the first.
 */
export const suppressions = sqliteTable(
  "suppressions",
  {
    id: text("id").primaryKey(),
    companyId: text("company_id")
      .notNull()
      .references(() => companies.id),
    channelType: text("channel_type", { enum: ["whatsapp", "email", "sms"] }).notNull(),
    /** WhatsApp digits, SMS E.164 with +, e-mail lower-cased. */
    address: text("address").notNull(),
    reason: text("reason", {
      enum: ["stop", "bounce", "complaint", "unsubscribe", "manual"],
    }).notNull(),
    /** No foreign key: a suppression outlives the message that caused it. */
    messageId: text("message_id"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("suppressions_address_key").on(t.companyId, t.channelType, t.address),
    index("suppressions_company_idx").on(t.companyId, t.id),
    check(
      "suppressions_reason_check",
      sql`${t.reason} IN ('stop', 'bounce', 'complaint', 'unsubscribe', 'manual')`,
    ),
  ],
);
