import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { adminKeys } from "./admin_keys.ts";

/**
 * Settings-page sessions, so one can be ended on every instance: `ended_at` by signing out;
 * a revoked `key_id` (the stored admin key it was opened with) ends it too. `id` is the
 * SHA-256 hex of the session's random id; `key_id` null is `SENDEASY_ADMIN_KEY`.
 */
export const adminSessions = sqliteTable(
  "admin_sessions",
  {
    id: text("id").primaryKey(),
    keyId: text("key_id").references(() => adminKeys.id),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    endedAt: integer("ended_at"),
  },
  (t) => [index("admin_sessions_expires_idx").on(t.expiresAt)],
);
