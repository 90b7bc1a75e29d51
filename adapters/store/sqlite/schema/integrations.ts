import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { channels } from "./channels.ts";
import { companies } from "./companies.ts";

/**
 * Webhook and custom integrations in one table (docs/api.md#concepts): they share identity, listing and
 * pagination; the kind-specific columns are null for the other kind, as the checks enforce.
 * Rows are soft-deleted (`deleted_at`) so deliveries and tokens keep their foreign keys.
 */
export const integrations = sqliteTable(
  "integrations",
  {
    id: text("id").primaryKey(),
    companyId: text("company_id")
      .notNull()
      .references(() => companies.id),
    kind: text("kind", { enum: ["webhook", "custom"] }).notNull(),
    name: text("name").notNull(),
    /** 1 or 0. */
    enabled: integer("enabled").notNull(),
    /** Webhooks of scope `channel` and every custom integration. */
    channelId: text("channel_id").references(() => channels.id),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    deletedAt: integer("deleted_at"),

    // kind = webhook
    scope: text("scope", { enum: ["general", "channel"] }),
    url: text("url"),
    /** Sealed with the SecretBox. */
    bearerTokenSealed: text("bearer_token_sealed"),
    /** JSON array of event types; null is all of them. */
    events: text("events"),
    disabledReason: text("disabled_reason", { enum: ["gone", "failing"] }),
    /** JSON array of `{ secret, createdAt, expiresAt }`, sealed with the SecretBox. */
    signingSecretsSealed: text("signing_secrets_sealed"),
    /** Start of the current run of failed attempts; null when healthy (docs/api.md#webhooks: 5 days → disabled). */
    failingSince: integer("failing_since"),

    // kind = custom
    tokenPrefix: text("token_prefix"),
    tokenCreatedAt: integer("token_created_at"),
    rotatedAt: integer("rotated_at"),
    lastUsedAt: integer("last_used_at"),
    expiresAt: integer("expires_at"),
    rateLimitPerSecond: integer("rate_limit_per_second"),
    rateLimitBurst: integer("rate_limit_burst"),
  },
  (t) => [
    index("integrations_company_idx").on(t.companyId, t.id),
    check("integrations_kind_check", sql`${t.kind} IN ('webhook', 'custom')`),
    check(
      "integrations_webhook_check",
      sql`${t.kind} <> 'webhook' OR (${t.scope} IS NOT NULL AND ${t.url} IS NOT NULL AND ${t.signingSecretsSealed} IS NOT NULL AND (${t.scope} = 'general') = (${t.channelId} IS NULL))`,
    ),
    check(
      "integrations_custom_check",
      sql`${t.kind} <> 'custom' OR (${t.channelId} IS NOT NULL AND ${t.tokenPrefix} IS NOT NULL AND ${t.tokenCreatedAt} IS NOT NULL)`,
    ),
    check(
      "integrations_rate_limit_check",
      sql`(${t.rateLimitPerSecond} IS NULL) = (${t.rateLimitBurst} IS NULL)`,
    ),
  ],
);
