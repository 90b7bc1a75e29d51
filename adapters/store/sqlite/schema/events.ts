import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { channels } from "./channels.ts";
import { companies } from "./companies.ts";
import { messages } from "./messages.ts";

/** Events of the transactional outbox (docs/architecture.md#the-life-of-one-delivery), with the exact envelope that is signed. */
export const events = sqliteTable(
  "events",
  {
    id: text("id").primaryKey(),
    companyId: text("company_id")
      .notNull()
      .references(() => companies.id),
    /** Null only for `integration.test` events sent to a general webhook. */
    channelId: text("channel_id").references(() => channels.id),
    type: text("type").notNull(),
    messageId: text("message_id").references(() => messages.id),
    /** The serialized envelope, byte for byte as receivers get it. */
    payload: text("payload").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("events_company_idx").on(t.companyId, t.id),
    index("events_company_channel_idx").on(t.companyId, t.channelId, t.id),
    index("events_message_idx").on(t.messageId),
  ],
);
