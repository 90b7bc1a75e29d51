import { index, pgTable, text } from "drizzle-orm/pg-core";
import { instant } from "./_columns.ts";
import { channels } from "./channels.ts";
import { companies } from "./companies.ts";
import { messages } from "./messages.ts";

/** Events of the transactional outbox (docs/architecture.md#the-life-of-one-delivery), with the exact envelope that is signed. */
export const events = pgTable(
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
    /**
     * The serialized envelope, byte for byte as receivers get it: text, not jsonb, since the
     * signature covers these exact bytes.
     */
    payload: text("payload").notNull(),
    createdAt: instant("created_at").notNull(),
  },
  (t) => [
    index("events_company_idx").on(t.companyId, t.id),
    index("events_company_channel_idx").on(t.companyId, t.channelId, t.id),
    index("events_message_idx").on(t.messageId),
  ],
);
