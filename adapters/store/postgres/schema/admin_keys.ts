import { index, pgTable, text } from "drizzle-orm/pg-core";
import { instant } from "./_columns.ts";
import { companies } from "./companies.ts";

/** Admin API keys (SPEC.md §6); `company_id` null is the operator key. Only SHA-256 hashes. */
export const adminKeys = pgTable(
  "admin_keys",
  {
    id: text("id").primaryKey(),
    companyId: text("company_id").references(() => companies.id),
    hash: text("hash").notNull().unique(),
    createdAt: instant("created_at").notNull(),
  },
  (t) => [index("admin_keys_company_idx").on(t.companyId)],
);
