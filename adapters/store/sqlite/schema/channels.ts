import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { companies } from "./companies.ts";

/** WhatsApp instances, Email mailboxes and SMS numbers (docs/api.md#concepts). */
export const channels = sqliteTable(
  "channels",
  {
    id: text("id").primaryKey(),
    companyId: text("company_id")
      .notNull()
      .references(() => companies.id),
    type: text("type", { enum: ["whatsapp", "email", "sms"] }).notNull(),
    provider: text("provider", { enum: ["sandbox", "resend", "twilio", "meta", "smtp"] }).notNull(),
    name: text("name").notNull(),
    address: text("address").notNull(),
    /** The provider config as JSON, sealed with the SecretBox (it holds credentials). */
    configSealed: text("config_sealed").notNull(),
    /** Null is unlimited. */
    credits: integer("credits"),
    createdAt: integer("created_at").notNull(),
    deletedAt: integer("deleted_at"),
  },
  (t) => [
    index("channels_company_idx").on(t.companyId, t.id),
    check("channels_type_check", sql`${t.type} IN ('whatsapp', 'email', 'sms')`),
    // Belt and braces for the atomic take: the balance can never be stored below zero.
    check("channels_credits_check", sql`${t.credits} IS NULL OR ${t.credits} >= 0`),
  ],
);
