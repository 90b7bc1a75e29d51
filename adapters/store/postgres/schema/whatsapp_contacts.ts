import { pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { instant } from "./_columns.ts";
import { channels } from "./channels.ts";

/** When each contact last wrote to each WhatsApp channel (README "The 24-hour window"). */
export const whatsappContacts = pgTable(
  "whatsapp_contacts",
  {
    channelId: text("channel_id")
      .notNull()
      .references(() => channels.id),
    /** The contact's number: digits, no `+`. */
    contact: text("contact").notNull(),
    lastInboundAt: instant("last_inbound_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.contact] })],
);
