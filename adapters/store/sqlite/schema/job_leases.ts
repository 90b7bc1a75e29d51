import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Who runs a periodic job (`retention`) until when: one instance at a time, whichever
 * takes the row first once the last holder's lease ran out.
 */
export const jobLeases = sqliteTable("job_leases", {
  name: text("name").primaryKey(),
  holder: text("holder").notNull(),
  leaseUntil: integer("lease_until").notNull(),
});
