/**
 * Row ↔ domain mapping shared by the Postgres stores: drizzle hands back `Date`s, booleans and
 * parsed jsonb, so most of it is renaming; sealed columns open with `../_sealed.ts`, as in
 * SQLite, so a database can move between the two.
 *
 * @module
 */
import type {
  AdminKey,
  Channel,
  Company,
  CustomIntegration,
  Integration,
  TokenRecord,
  WebhookIntegration,
} from "../../../core/domain.ts";
import type { SecretBox } from "../../crypto/secret_box.ts";
import { openChannelConfig, openSigningSecrets } from "../_sealed.ts";
import type { adminKeys } from "./schema/admin_keys.ts";
import type { channels } from "./schema/channels.ts";
import type { companies } from "./schema/companies.ts";
import type { integrations } from "./schema/integrations.ts";
import type { tokens } from "./schema/tokens.ts";

export type CompanyRow = typeof companies.$inferSelect;
export type AdminKeyRow = typeof adminKeys.$inferSelect;
export type ChannelRow = typeof channels.$inferSelect;
export type IntegrationRow = typeof integrations.$inferSelect;
export type TokenRow = typeof tokens.$inferSelect;

export function companyFromRow(row: CompanyRow): Company {
  return { id: row.id, name: row.name, createdAt: row.createdAt };
}

export function adminKeyFromRow(row: AdminKeyRow): AdminKey {
  return {
    id: row.id,
    companyId: row.companyId,
    hash: row.hash,
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
  };
}

export function channelFromRow(row: ChannelRow, box: SecretBox): Channel {
  return {
    id: row.id,
    companyId: row.companyId,
    type: row.type,
    provider: row.provider,
    name: row.name,
    address: row.address,
    config: openChannelConfig(row.configSealed, box),
    credits: row.credits,
    createdAt: row.createdAt,
    deletedAt: row.deletedAt,
  };
}

export function tokenFromRow(row: TokenRow): TokenRecord {
  return {
    hash: row.hash,
    integrationId: row.integrationId,
    status: row.status,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
  };
}

export function integrationFromRow(row: IntegrationRow, box: SecretBox): Integration {
  return row.kind === "webhook" ? webhookFromRow(row, box) : customFromRow(row);
}

/** @param box Opens the sealed columns (a {@linkcode SecretBox}, or its remembered `decrypt`). */
export function webhookFromRow(
  row: IntegrationRow,
  box: Pick<SecretBox, "decrypt">,
): WebhookIntegration {
  return {
    id: row.id,
    companyId: row.companyId,
    name: row.name,
    enabled: row.enabled,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    kind: "webhook",
    // The table's checks guarantee these for kind = webhook.
    scope: row.scope ?? "general",
    channelId: row.channelId,
    url: row.url ?? "",
    bearerToken: row.bearerTokenSealed === null ? null : box.decrypt(row.bearerTokenSealed),
    events: row.events,
    disabledReason: row.disabledReason,
    signingSecrets:
      row.signingSecretsSealed === null ? [] : openSigningSecrets(row.signingSecretsSealed, box),
    failingSince: row.failingSince,
  };
}

export function customFromRow(row: IntegrationRow): CustomIntegration {
  return {
    id: row.id,
    companyId: row.companyId,
    name: row.name,
    enabled: row.enabled,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    kind: "custom",
    // The table's checks guarantee these for kind = custom.
    channelId: row.channelId ?? "",
    tokenPrefix: row.tokenPrefix ?? "",
    tokenCreatedAt: row.tokenCreatedAt ?? row.createdAt,
    rotatedAt: row.rotatedAt,
    lastUsedAt: row.lastUsedAt,
    expiresAt: row.expiresAt,
    rateLimit:
      row.rateLimitPerSecond === null || row.rateLimitBurst === null
        ? null
        : { perSecond: row.rateLimitPerSecond, burst: row.rateLimitBurst },
  };
}
