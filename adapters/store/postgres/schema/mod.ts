/**
 * The Postgres schema, one table per file (docs/architecture.md#the-hexagon): the same tables and meaning as the
 * SQLite schema. Ids are prefixed ULIDs (text, time sortable), timestamps are
 * `timestamp(3) with time zone`, JSON is jsonb (except the signed event envelope, kept as
 * text), secrets are sealed with the SecretBox.
 *
 * @module
 */
export { adminKeys } from "./admin_keys.ts";
export { adminSessions } from "./admin_sessions.ts";
export { changeGenerations } from "./change_generations.ts";
export { channels } from "./channels.ts";
export { companies } from "./companies.ts";
export { deliveries } from "./deliveries.ts";
export { deliveryAttempts } from "./delivery_attempts.ts";
export { events } from "./events.ts";
export { idempotencyRecords } from "./idempotency_records.ts";
export { integrations } from "./integrations.ts";
export { jobLeases } from "./job_leases.ts";
export { messages } from "./messages.ts";
export { operatorAlerts } from "./operator_alerts.ts";
export { statusReports } from "./status_reports.ts";
export { suppressions } from "./suppressions.ts";
export { tokens } from "./tokens.ts";
export { whatsappContacts } from "./whatsapp_contacts.ts";
