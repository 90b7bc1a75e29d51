import { pgTable, text } from "drizzle-orm/pg-core";
import { instant } from "./_columns.ts";

/**
 * Who runs a periodic job (`retention`) until when: one instance at a time, whichever
 * takes the row first once the last holder's lease ran out.
 */
export const jobLeases = pgTable("job_leases", {
  name: text("name").primaryKey(),
  holder: text("holder").notNull(),
  leaseUntil: instant("lease_until").notNull(),
});
