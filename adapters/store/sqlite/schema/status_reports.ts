import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { channels } from "./channels.ts";
import { messages } from "./messages.ts";

/**
 * Every status report a provider sent in a callback, once per report (its key is the
 * provider's event id or the status it reports): the primary key makes a callback delivered
 * several times have one effect. A report about a provider id no message has yet waits here
 * (`message_id` null) until the write that gives a message that id applies it.
 */
export const statusReports = sqliteTable(
  "status_reports",
  {
    channelId: text("channel_id")
      .notNull()
      .references(() => channels.id),
    providerMessageId: text("provider_message_id").notNull(),
    key: text("key").notNull(),
    /** The message it was applied to (or kept in the history of); null while it waits. */
    messageId: text("message_id").references(() => messages.id),
    /** JSON `{ status, at, reason?, error? }` with `at` in Unix ms. */
    report: text("report").notNull(),
    /** JSON of the event to write if it applies (`createdAt` in Unix ms); null for none. */
    event: text("event"),
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.channelId, t.providerMessageId, t.key] }),
    // Reports still waiting for their message, oldest first: retention drops the stale ones.
    index("status_reports_waiting_idx").on(t.receivedAt).where(sql`${t.messageId} IS NULL`),
  ],
);
