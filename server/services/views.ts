/**
 * How admin resources look on the wire (SPEC.md §6): dates as ISO strings, secrets never.
 *
 * @module
 */
import { redactConfig } from "../../core/channel_config.ts";
import type { Channel, Company, Integration } from "../../core/domain.ts";
import { isTokenOld } from "../../core/tokens.ts";

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());

/** A company as the admin API shows it. */
export function companyView(company: Company): Record<string, unknown> {
  return { id: company.id, name: company.name, createdAt: iso(company.createdAt) };
}

/**
 * A channel with its secret config values left out, and the callback URL to give the
 * provider (`null` for the sandbox, which calls nothing back: no route would answer it).
 */
export function channelView(channel: Channel, publicUrl: string): Record<string, unknown> {
  const { config, secrets } = redactConfig(channel.provider, channel.config);
  return {
    id: channel.id,
    type: channel.type,
    provider: channel.provider,
    name: channel.name,
    address: channel.address,
    credits: channel.credits,
    config,
    secrets,
    callbackUrl:
      channel.provider === "sandbox"
        ? null
        : `${publicUrl}/hooks/${channel.provider}/${channel.id}`,
    createdAt: iso(channel.createdAt),
    ...(channel.deletedAt === null ? {} : { deletedAt: iso(channel.deletedAt) }),
  };
}

/** An integration without its token, bearer token or signing secrets. */
export function integrationView(integration: Integration, now: number): Record<string, unknown> {
  const common = {
    id: integration.id,
    kind: integration.kind,
    name: integration.name,
    enabled: integration.enabled,
    createdAt: iso(integration.createdAt),
    updatedAt: iso(integration.updatedAt),
  };
  if (integration.kind === "custom") {
    return {
      ...common,
      channelId: integration.channelId,
      tokenPrefix: `se_${integration.tokenPrefix}`,
      tokenCreatedAt: iso(integration.tokenCreatedAt),
      rotatedAt: iso(integration.rotatedAt),
      lastUsedAt: iso(integration.lastUsedAt),
      expiresAt: iso(integration.expiresAt),
      rateLimit: integration.rateLimit,
      // SPEC.md §5: the CLI and UI flag tokens older than 90 days.
      tokenOld: isTokenOld(integration.tokenCreatedAt, now),
    };
  }
  return {
    ...common,
    scope: integration.scope,
    channelId: integration.channelId,
    url: integration.url,
    hasBearerToken: integration.bearerToken !== null,
    events: integration.events,
    ...(integration.disabledReason === null ? {} : { disabledReason: integration.disabledReason }),
  };
}
