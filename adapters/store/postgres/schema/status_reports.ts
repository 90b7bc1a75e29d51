import { sql } from "drizzle-orm";
import { bigint, index, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import type { EventSpecJson, ReportJson } from "../../_report_json.ts";
import { instant, jsonDocument } from "./_columns.ts";
import { channels } from "./channels.ts";
import { messages } from "./messages.ts";

/**
 * Every status report a provider sent in a callback, once per report (its key is the
 * provider's event id or the status it reports): the primary key makes a callback delivered
 * several times have one effect. A report about a provider id no message has yet waits here
 * (`message_id` null) until the write that gives a message that id applies it.
 */
export const statusReports = pgTable(
  "status_reports",
  {
    channelId: text("channel_id")
      .notNull()
      .references(() => channels.id),
    providerMessageId: text("provider_message_id").notNull(),
    key: text("key").notNull(),
    /** The message it was applied to (or kept in the history of); null while it waits. */
    messageId: text("message_id").references(() => messages.id),
    report: jsonDocument("report").$type<ReportJson>().notNull(),
    /** The event to write if it applies (`createdAt` in Unix ms); null for none. */
    event: jsonDocument("event").$type<EventSpecJson>(),
    receivedAt: instant("received_at").notNull(),
    /** Arrival order among reports received in the same millisecond. */
    seq: bigint("seq", { mode: "number" }).generatedAlwaysAsIdentity().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.channelId, t.providerMessageId, t.key] }),
    // Reports still waiting for their message, oldest first: retention drops the stale ones.
    index("status_reports_waiting_idx").on(t.receivedAt).where(sql`${t.messageId} IS NULL`),
  ],
);
