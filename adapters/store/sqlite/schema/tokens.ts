import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { integrations } from "./integrations.ts";

/** Custom-integration tokens (docs/api.md#tokens): only the SHA-256 hex hash of the secret is kept. */
export const tokens = sqliteTable(
  "tokens",
  {
    hash: text("hash").primaryKey(),
    integrationId: text("integration_id")
      .notNull()
      .references(() => integrations.id),
    status: text("status", { enum: ["active", "rotated", "revoked"] }).notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at"),
  },
  (t) => [
    index("tokens_integration_idx").on(t.integrationId, t.status),
    check("tokens_status_check", sql`${t.status} IN ('active', 'rotated', 'revoked')`),
  ],
);
