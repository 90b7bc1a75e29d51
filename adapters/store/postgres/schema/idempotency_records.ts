import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { instant } from "./_columns.ts";

/**
 * `Idempotency-Key` records (docs/api.md#idempotency), scoped by integration id. A row whose `expires_at`
 * has passed counts as absent and is overwritten by the next claim.
 */
export const idempotencyRecords = pgTable(
  "idempotency_records",
  {
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    /** Hash of the request body; another body under the same key is a mismatch. */
    fingerprint: text("fingerprint").notNull(),
    /** `pending` while the first request runs, `done` once its response is stored. */
    state: text("state", { enum: ["pending", "done"] }).notNull(),
    status: integer("status"),
    body: text("body"),
    createdAt: instant("created_at").notNull(),
    expiresAt: instant("expires_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.scope, t.key] }),
    index("idempotency_records_expires_idx").on(t.expiresAt),
    check("idempotency_records_state_check", sql`${t.state} IN ('pending', 'done')`),
  ],
);
