import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { companies } from "./companies.ts";

/**
 * Admin API keys; `company_id` null is an operator key. Only SHA-256 hashes. A rotated or
 * retired key keeps its row with `revoked_at` set (and is refused).
 */
export const adminKeys = sqliteTable(
  "admin_keys",
  {
    id: text("id").primaryKey(),
    companyId: text("company_id").references(() => companies.id),
    hash: text("hash").notNull().unique(),
    createdAt: integer("created_at").notNull(),
    revokedAt: integer("revoked_at"),
  },
  (t) => [index("admin_keys_company_idx").on(t.companyId)],
);
