import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { channels } from "./channels.ts";

/** When each contact last wrote to each WhatsApp channel (README "The 24-hour window"). */
export const whatsappContacts = sqliteTable(
  "whatsapp_contacts",
  {
    channelId: text("channel_id")
      .notNull()
      .references(() => channels.id),
    /** The contact's number: digits, no `+`. */
    contact: text("contact").notNull(),
    lastInboundAt: integer("last_inbound_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.contact] })],
);
