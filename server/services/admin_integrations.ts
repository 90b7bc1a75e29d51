/**
 * Integration administration (docs/api.md#admin-api): webhooks and custom tokens, rotation, revocation.
 *
 * @module
 */
import type {
  Company,
  CustomIntegration,
  EventType,
  Integration,
  RateLimit,
  WebhookIntegration,
} from "../../core/domain.ts";
import { generateWebhookSecret } from "../../core/signatures.ts";
import { generateToken, hashToken, tokenDisplayPrefix } from "../../core/tokens.ts";
import { errorReply, jsonReply, type Reply } from "../http/reply.ts";
import { type AdminDeps, pageOf } from "./admin_deps.ts";
import { integrationView } from "./views.ts";

export interface WebhookInput {
  kind: "webhook";
  name: string;
  scope: "general" | "channel";
  channelId?: string;
  url: string;
  bearerToken?: string;
  events?: EventType[];
}

export interface CustomInput {
  kind: "custom";
  name: string;
  channelId?: string;
  expiresAt?: string;
  rateLimit?: RateLimit;
}

export interface IntegrationPatchInput {
  name?: string;
  enabled?: boolean;
  url?: string;
  bearerToken?: string | null;
  events?: EventType[] | null;
  expiresAt?: string | null;
  rateLimit?: RateLimit | null;
}

export async function createIntegration(
  deps: AdminDeps,
  company: Company,
  input: WebhookInput | CustomInput,
  requestId: string,
): Promise<Reply> {
  return input.kind === "custom"
    ? createCustom(deps, company, input, requestId)
    : createWebhook(deps, company, input, requestId);
}

async function createCustom(
  deps: AdminDeps,
  company: Company,
  input: CustomInput,
  requestId: string,
): Promise<Reply> {
  if (input.channelId === undefined) {
    return invalid(
      requestId,
      "/channelId",
      "is required: a custom token is always bound to one channel",
    );
  }
  const channel = await deps.channels.getChannel(company.id, input.channelId);
  if (channel === null || channel.deletedAt !== null) {
    return invalid(requestId, "/channelId", `Channel "${input.channelId}" not found`);
  }
  const expiresAt = parseDate(input.expiresAt);
  if (expiresAt === "invalid")
    return invalid(requestId, "/expiresAt", "must be an ISO-8601 date-time");
  const now = new Date(deps.clock.now());
  const token = generateToken(deps.random);
  const integration: CustomIntegration = {
    kind: "custom",
    id: deps.ids("integration"),
    companyId: company.id,
    name: input.name,
    enabled: true,
    channelId: channel.id,
    tokenPrefix: tokenDisplayPrefix(token),
    tokenCreatedAt: now,
    rotatedAt: null,
    lastUsedAt: null,
    expiresAt,
    rateLimit: input.rateLimit ?? null,
    createdAt: now,
    updatedAt: now,
  };
  await deps.integrations.createCustom(integration, {
    hash: await hashToken(token),
    integrationId: integration.id,
    status: "active",
    createdAt: now,
    expiresAt,
  });
  return jsonReply(201, { integration: integrationView(integration, deps.clock.now()), token });
}

async function createWebhook(
  deps: AdminDeps,
  company: Company,
  input: WebhookInput,
  requestId: string,
): Promise<Reply> {
  const problem = await checkWebhookTarget(deps, company, input);
  if (problem !== null) return invalid(requestId, problem.path, problem.message);
  const now = new Date(deps.clock.now());
  const signingSecret = generateWebhookSecret(deps.random);
  const webhook: WebhookIntegration = {
    kind: "webhook",
    id: deps.ids("integration"),
    companyId: company.id,
    name: input.name,
    enabled: true,
    scope: input.scope,
    channelId: input.scope === "channel" ? (input.channelId ?? null) : null,
    url: input.url,
    bearerToken: input.bearerToken ?? null,
    events: input.events ?? null,
    disabledReason: null,
    failingSince: null,
    signingSecrets: [{ secret: signingSecret, createdAt: now, expiresAt: null }],
    createdAt: now,
    updatedAt: now,
  };
  await deps.integrations.createWebhook(webhook);
  deps.webhooks.invalidate(company.id);
  return jsonReply(201, { integration: integrationView(webhook, deps.clock.now()), signingSecret });
}

async function checkWebhookTarget(
  deps: AdminDeps,
  company: Company,
  input: { scope: "general" | "channel"; channelId?: string; url: string },
): Promise<{ path: string; message: string } | null> {
  if (input.scope === "channel") {
    if (input.channelId === undefined)
      return { path: "/channelId", message: 'is required when scope is "channel"' };
    const channel = await deps.channels.getChannel(company.id, input.channelId);
    if (channel === null || channel.deletedAt !== null) {
      return { path: "/channelId", message: `Channel "${input.channelId}" not found` };
    }
  } else if (input.channelId !== undefined) {
    return { path: "/channelId", message: 'must be absent when scope is "general"' };
  }
  // Checked at creation after DNS resolution too (and again at each delivery's connection).
  const target = await deps.checkUrl(input.url, "webhook URL");
  return target.ok ? null : { path: "/url", message: target.message };
}

export async function getIntegration(
  deps: AdminDeps,
  company: Company,
  id: string,
  requestId: string,
): Promise<Reply> {
  const integration = await deps.integrations.getIntegration(company.id, id);
  if (integration === null) return notFound(id, requestId);
  return jsonReply(200, integrationView(integration, deps.clock.now()));
}

export async function listIntegrations(
  deps: AdminDeps,
  company: Company,
  query: { limit?: number; cursor?: string; kind?: string },
): Promise<Reply> {
  const page = await deps.integrations.listIntegrations(company.id, pageOf(query));
  const now = deps.clock.now();
  const data = page.data.filter((i) => query.kind === undefined || i.kind === query.kind);
  return jsonReply(200, {
    data: data.map((i) => integrationView(i, now)),
    nextCursor: page.nextCursor,
  });
}

export async function patchIntegration(
  deps: AdminDeps,
  company: Company,
  id: string,
  input: IntegrationPatchInput,
  requestId: string,
): Promise<Reply> {
  const current = await deps.integrations.getIntegration(company.id, id);
  if (current === null) return notFound(id, requestId);
  const wrongKind = fieldsOfOtherKind(current, input);
  if (wrongKind.length > 0) {
    return errorReply("VALIDATION_ERROR", {
      requestId,
      details: wrongKind.map((field) => ({
        path: `/${field}`,
        message: `does not apply to a ${current.kind} integration`,
      })),
    });
  }
  if (input.url !== undefined && current.kind === "webhook") {
    const scope =
      current.channelId === null
        ? { scope: current.scope }
        : { scope: current.scope, channelId: current.channelId };
    const problem = await checkWebhookTarget(deps, company, { ...scope, url: input.url });
    if (problem !== null) return invalid(requestId, problem.path, problem.message);
  }
  const expiresAt =
    input.expiresAt === undefined ? undefined : parseDate(input.expiresAt ?? undefined);
  if (expiresAt === "invalid")
    return invalid(requestId, "/expiresAt", "must be an ISO-8601 date-time");
  const updated = await deps.integrations.updateIntegration(
    company.id,
    id,
    {
      ...(input.name === undefined ? {} : { name: input.name }),
      // Re-enabling clears the reason the server disabled it for (docs/api.md#admin-api).
      ...(input.enabled === undefined
        ? {}
        : { enabled: input.enabled, ...(input.enabled ? { disabledReason: null } : {}) }),
      ...(input.url === undefined ? {} : { url: input.url }),
      ...(input.bearerToken === undefined ? {} : { bearerToken: input.bearerToken }),
      ...(input.events === undefined ? {} : { events: input.events }),
      ...(expiresAt === undefined ? {} : { expiresAt }),
      ...(input.rateLimit === undefined ? {} : { rateLimit: input.rateLimit }),
    },
    new Date(deps.clock.now()),
  );
  if (updated === null) return notFound(id, requestId);
  await afterIntegrationChange(deps, company);
  return jsonReply(200, integrationView(updated, deps.clock.now()));
}

export async function deleteIntegration(
  deps: AdminDeps,
  company: Company,
  id: string,
  requestId: string,
): Promise<Reply> {
  const deleted = await deps.integrations.deleteIntegration(company.id, id);
  if (!deleted) return notFound(id, requestId);
  await afterIntegrationChange(deps, company);
  return { status: 204, body: "" };
}

async function afterIntegrationChange(deps: AdminDeps, company: Company): Promise<void> {
  deps.webhooks.invalidate(company.id);
  await deps.tokenCache.clear();
}

function fieldsOfOtherKind(integration: Integration, input: IntegrationPatchInput): string[] {
  const webhookOnly = ["url", "bearerToken", "events"] as const;
  const customOnly = ["expiresAt", "rateLimit"] as const;
  const foreign = integration.kind === "custom" ? webhookOnly : customOnly;
  return foreign.filter((field) => input[field] !== undefined);
}

function parseDate(value: string | undefined): Date | null | "invalid" {
  if (value === undefined) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? "invalid" : new Date(ms);
}

export function invalid(requestId: string, path: string, message: string): Reply {
  return errorReply("VALIDATION_ERROR", { requestId, details: [{ path, message }] });
}

export function notFound(id: string, requestId: string): Reply {
  return errorReply("NOT_FOUND", { requestId, message: `Integration "${id}" not found` });
}
