import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { instant } from "./_columns.ts";
import { companies } from "./companies.ts";
import { events } from "./events.ts";
import { integrations } from "./integrations.ts";

/** One event to one webhook destination (docs/api.md#webhooks). */
export const deliveries = pgTable(
  "deliveries",
  {
    id: text("id").primaryKey(),
    companyId: text("company_id")
      .notNull()
      .references(() => companies.id),
    eventId: text("event_id")
      .notNull()
      .references(() => events.id),
    webhookId: text("webhook_id")
      .notNull()
      .references(() => integrations.id),
    status: text("status", { enum: ["pending", "succeeded", "failed"] }).notNull(),
    attempts: integer("attempts").notNull(),
    nextAttemptAt: instant("next_attempt_at"),
    /** A worker's claim; others skip the row until it passes. */
    leaseUntil: instant("lease_until"),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    createdAt: instant("created_at").notNull(),
    updatedAt: instant("updated_at").notNull(),
  },
  (t) => [
    // Workers claim `status = 'pending' AND next_attempt_at <= now` webhook by webhook: one
    // probe per live webhook, so a backlog of one destination (saturated, disabled) is never
    // walked to reach the others (docs/architecture.md#the-life-of-one-delivery). Partial: settled
    // rows, most of the table, stay out of it.
    index("deliveries_webhook_due_idx")
      .on(t.webhookId, t.nextAttemptAt, t.id)
      .where(sql`${t.status} = 'pending'`),
    // The few rows under a live or expired lease, for `nextDueAt`.
    index("deliveries_lease_idx").on(t.leaseUntil).where(sql`${t.leaseUntil} IS NOT NULL`),
    index("deliveries_event_idx").on(t.eventId),
    index("deliveries_webhook_idx").on(t.webhookId, t.id),
    index("deliveries_company_idx").on(t.companyId, t.id),
    check("deliveries_status_check", sql`${t.status} IN ('pending', 'succeeded', 'failed')`),
  ],
);
