/**
 * What the settings page reads, through the same admin use cases as the API (their `Reply`s
 * decoded), so the page and `/api/admin` can never disagree.
 *
 * @module
 */
import type { Company } from "../../core/domain.ts";
import type { Reply } from "../http/reply.ts";
import type { ChannelView, DeliveryView } from "../schemas/admin_views.ts";
import { listChannels } from "../services/admin_channels.ts";
import { listCompanies } from "../services/admin_companies.ts";
import type { AdminDeps } from "../services/admin_deps.ts";
import { getIntegration, listIntegrations } from "../services/admin_integrations.ts";
import { listDeliveries } from "../services/admin_webhooks.ts";

/** A channel as the admin API shows it (the fields the page uses). */
export type ChannelJson = Pick<ChannelView, "id" | "type" | "provider" | "name" | "address">;

/** An integration as `integrationView` shows it; kind-specific fields are optional. */
export interface IntegrationJson {
  id: string;
  kind: "webhook" | "custom";
  name: string;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
  channelId: string | null;
  scope?: "general" | "channel";
  url?: string;
  hasBearerToken?: boolean;
  events?: string[] | null;
  disabledReason?: "gone" | "failing";
  tokenPrefix?: string;
  tokenCreatedAt?: string;
  rotatedAt?: string | null;
  lastUsedAt?: string | null;
  expiresAt?: string | null;
  tokenOld?: boolean;
}

/** A delivery as the admin API shows it. */
export type DeliveryJson = DeliveryView;

/** An error reply's body (docs/api.md#errors). */
export interface ErrorJson {
  error: string;
  message: string;
  details?: { path: string; message: string }[];
}

interface PageJson<T> {
  data: T[];
  nextCursor: string | null;
}

/** Lists stop here: the page is for people, not for ten thousand rows. */
const MAX_CHANNEL_PAGES = 10;

/** The body of a reply, typed by the caller who knows which use case answered. */
export function decode<T>(reply: Reply): T {
  return JSON.parse(reply.body) as T;
}

/** One page of integrations, newest first. */
export async function loadIntegrations(
  deps: AdminDeps,
  company: Company,
  cursor: string | undefined,
): Promise<PageJson<IntegrationJson>> {
  const query = cursor === undefined ? { limit: 50 } : { limit: 50, cursor };
  return decode<PageJson<IntegrationJson>>(await listIntegrations(deps, company, query));
}

/** One integration, or null when it is not this company's. */
export async function loadIntegration(
  deps: AdminDeps,
  company: Company,
  id: string,
  requestId: string,
): Promise<IntegrationJson | null> {
  const reply = await getIntegration(deps, company, id, requestId);
  return reply.status === 200 ? decode<IntegrationJson>(reply) : null;
}

/** The company's live channels (deleted ones are not offered). */
export async function loadChannels(deps: AdminDeps, company: Company): Promise<ChannelJson[]> {
  const all: ChannelJson[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_CHANNEL_PAGES; page++) {
    const query = cursor === undefined ? { limit: 100 } : { limit: 100, cursor };
    const result = decode<PageJson<ChannelJson>>(await listChannels(deps, company, query));
    all.push(...result.data);
    if (result.nextCursor === null) break;
    cursor = result.nextCursor;
  }
  return all;
}

/** A webhook's most recent deliveries, newest first. */
export async function loadDeliveries(
  deps: AdminDeps,
  company: Company,
  webhookId: string,
): Promise<DeliveryJson[]> {
  const reply = await listDeliveries(deps, company, { limit: 20, webhookId });
  return decode<PageJson<DeliveryJson>>(reply).data;
}

/** Companies the operator may switch to. */
export async function loadCompanies(deps: AdminDeps): Promise<{ id: string; name: string }[]> {
  return decode<PageJson<{ id: string; name: string }>>(await listCompanies(deps, { limit: 100 }))
    .data;
}
