import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Tenants (docs/api.md#concepts). The oldest row is the default company. */
export const companies = sqliteTable(
  "companies",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    /** Unix ms, like every timestamp column. */
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("companies_created_at_idx").on(t.createdAt, t.id)],
);
