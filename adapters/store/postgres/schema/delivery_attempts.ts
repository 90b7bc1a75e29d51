import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { instant } from "./_columns.ts";
import { deliveries } from "./deliveries.ts";

/** Every HTTP try of a delivery (docs/api.md#webhooks: every attempt is logged). */
export const deliveryAttempts = pgTable(
  "delivery_attempts",
  {
    id: text("id").primaryKey(),
    deliveryId: text("delivery_id")
      .notNull()
      .references(() => deliveries.id),
    trigger: text("trigger", { enum: ["scheduled", "manual"] }).notNull(),
    startedAt: instant("started_at").notNull(),
    durationMs: integer("duration_ms").notNull(),
    statusCode: integer("status_code"),
    /** The first 2 KiB of the answer. */
    responseBody: text("response_body"),
    error: text("error"),
  },
  (t) => [
    index("delivery_attempts_delivery_idx").on(t.deliveryId, t.id),
    check("delivery_attempts_trigger_check", sql`${t.trigger} IN ('scheduled', 'manual')`),
  ],
);
