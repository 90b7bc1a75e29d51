import { index, pgTable, text } from "drizzle-orm/pg-core";
import { instant } from "./_columns.ts";

/** Tenants (docs/api.md#concepts). The oldest row is the default company. */
export const companies = pgTable(
  "companies",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    createdAt: instant("created_at").notNull(),
  },
  (t) => [index("companies_created_at_idx").on(t.createdAt, t.id)],
);
