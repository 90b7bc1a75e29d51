import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Events for the operator's own webhook (`SENDEASY_OPERATOR_WEBHOOK_URL`, README "Operator
 * alerts"): written before they are sent, so a restart loses none; one row per incident.
 */
export const operatorAlerts = sqliteTable(
  "operator_alerts",
  {
    id: text("id").primaryKey(),
    topic: text("topic").notNull(),
    /** What makes two alerts the same incident: a second one with this key is not written. */
    incidentKey: text("incident_key").notNull(),
    /** The serialized envelope, byte for byte as the operator's webhook gets it. */
    payload: text("payload").notNull(),
    status: text("status", { enum: ["pending", "delivered", "failed"] }).notNull(),
    attempts: integer("attempts").notNull(),
    nextAttemptAt: integer("next_attempt_at"),
    /** A sender's claim; others skip the row until it passes. */
    leaseUntil: integer("lease_until"),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("operator_alerts_incident_key").on(t.incidentKey),
    index("operator_alerts_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    check("operator_alerts_status_check", sql`${t.status} IN ('pending', 'delivered', 'failed')`),
  ],
);
