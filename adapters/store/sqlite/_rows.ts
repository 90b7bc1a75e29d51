/**
 * Row ↔ domain mapping shared by the SQLite stores: time columns are Unix ms, JSON is text,
 * sealed columns open with `../_sealed.ts`.
 *
 * @module
 */
import type {
  Channel,
  Company,
  ConfigValue,
  CustomIntegration,
  EventType,
  Integration,
  TokenRecord,
  WebhookIntegration,
} from "../../../core/domain.ts";
import type { SecretBox } from "../../crypto/secret_box.ts";
import { openChannelConfig, openSigningSecrets } from "../_sealed.ts";
import type { channels } from "./schema/channels.ts";
import type { companies } from "./schema/companies.ts";
import type { integrations } from "./schema/integrations.ts";
import type { tokens } from "./schema/tokens.ts";

export type CompanyRow = typeof companies.$inferSelect;
export type ChannelRow = typeof channels.$inferSelect;
export type IntegrationRow = typeof integrations.$inferSelect;
export type TokenRow = typeof tokens.$inferSelect;

export function dateOrNull(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}

export function msOrNull(date: Date | null): number | null {
  return date === null ? null : date.getTime();
}

export function companyFromRow(row: CompanyRow): Company {
  return { id: row.id, name: row.name, createdAt: new Date(row.createdAt) };
}

export function channelFromRow(row: ChannelRow, box: SecretBox): Channel {
  return channelWithConfig(row, openChannelConfig(row.configSealed, box));
}

/** A channel from its row and its already opened config. */
export function channelWithConfig(row: ChannelRow, config: Record<string, ConfigValue>): Channel {
  return {
    id: row.id,
    companyId: row.companyId,
    type: row.type,
    provider: row.provider,
    name: row.name,
    address: row.address,
    config,
    credits: row.credits,
    createdAt: new Date(row.createdAt),
    deletedAt: dateOrNull(row.deletedAt),
  };
}

export function tokenFromRow(row: TokenRow): TokenRecord {
  return {
    hash: row.hash,
    integrationId: row.integrationId,
    status: row.status,
    createdAt: new Date(row.createdAt),
    expiresAt: dateOrNull(row.expiresAt),
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
    enabled: row.enabled === 1,
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
    kind: "webhook",
    scope: row.scope ?? "general",
    channelId: row.channelId,
    url: row.url ?? "",
    bearerToken: row.bearerTokenSealed === null ? null : box.decrypt(row.bearerTokenSealed),
    events: row.events === null ? null : (JSON.parse(row.events) as EventType[]),
    disabledReason: row.disabledReason,
    signingSecrets:
      row.signingSecretsSealed === null ? [] : openSigningSecrets(row.signingSecretsSealed, box),
    failingSince: dateOrNull(row.failingSince),
  };
}

export function customFromRow(row: IntegrationRow): CustomIntegration {
  return {
    id: row.id,
    companyId: row.companyId,
    name: row.name,
    enabled: row.enabled === 1,
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
    kind: "custom",
    // The table's checks guarantee these for kind = custom.
    channelId: row.channelId ?? "",
    tokenPrefix: row.tokenPrefix ?? "",
    tokenCreatedAt: new Date(row.tokenCreatedAt ?? row.createdAt),
    rotatedAt: dateOrNull(row.rotatedAt),
    lastUsedAt: dateOrNull(row.lastUsedAt),
    expiresAt: dateOrNull(row.expiresAt),
    rateLimit:
      row.rateLimitPerSecond === null || row.rateLimitBurst === null
        ? null
        : { perSecond: row.rateLimitPerSecond, burst: row.rateLimitBurst },
  };
}
