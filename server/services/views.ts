/**
 * Builds the admin views of `server/schemas/admin_views.ts`: dates as ISO strings, secrets never.
 *
 * @module
 */
import { redactConfig } from "../../core/channel_config.ts";
import type { Channel, Company, Integration } from "../../core/domain.ts";
import { isTokenOld } from "../../core/tokens.ts";
import type {
  ChannelView,
  CompanyView,
  CustomIntegrationView,
  IntegrationView,
  WebhookIntegrationView,
} from "../schemas/admin_views.ts";

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());
const isoOf = (date: Date): string => date.toISOString();

/** A company as the admin API shows it. */
export function companyView(company: Company): CompanyView {
  return { id: company.id, name: company.name, createdAt: isoOf(company.createdAt) };
}

/**
 * A channel with its secret config values left out, and the callback URL to give the
 * provider (`null` for the sandbox, which calls nothing back: no route would answer it).
 */
export function channelView(channel: Channel, publicUrl: string): ChannelView {
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
    createdAt: isoOf(channel.createdAt),
    ...(channel.deletedAt === null ? {} : { deletedAt: isoOf(channel.deletedAt) }),
  };
}

/** An integration without its token, bearer token or signing secrets. */
export function integrationView(integration: Integration, now: number): IntegrationView {
  const common = {
    id: integration.id,
    name: integration.name,
    enabled: integration.enabled,
    createdAt: isoOf(integration.createdAt),
    updatedAt: isoOf(integration.updatedAt),
  };
  if (integration.kind === "custom") {
    const view: CustomIntegrationView = {
      ...common,
      kind: "custom",
      channelId: integration.channelId,
      tokenPrefix: `se_${integration.tokenPrefix}`,
      tokenCreatedAt: isoOf(integration.tokenCreatedAt),
      rotatedAt: iso(integration.rotatedAt),
      lastUsedAt: iso(integration.lastUsedAt),
      expiresAt: iso(integration.expiresAt),
      rateLimit: integration.rateLimit,
      // docs/api.md#tokens: the CLI and UI flag tokens older than 90 days.
      tokenOld: isTokenOld(integration.tokenCreatedAt, now),
    };
    return view;
  }
  const view: WebhookIntegrationView = {
    ...common,
    kind: "webhook",
    scope: integration.scope,
    channelId: integration.channelId,
    url: integration.url,
    hasBearerToken: integration.bearerToken !== null,
    events: integration.events,
    ...(integration.disabledReason === null ? {} : { disabledReason: integration.disabledReason }),
  };
  return view;
}
