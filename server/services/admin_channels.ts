/**
 * Channel administration (docs/api.md#admin-api): create, read, patch, soft-delete, and the sandbox's
 * simulated inbound message.
 *
 * @module
 */
import { checkChannel, normalizeChannelConfig } from "../../core/channel_config.ts";
import type {
  Channel,
  ChannelType,
  Company,
  ConfigValue,
  ErrorDetail,
  ProviderName,
} from "../../core/domain.ts";
import { errorReply, jsonReply, type Reply } from "../http/reply.ts";
import { type AdminDeps, pageOf } from "./admin_deps.ts";
import { recordInbound } from "./inbound_service.ts";
import { applyInboundSignals } from "./inbound_signals.ts";
import { channelView } from "./views.ts";

export interface ChannelInput {
  type: ChannelType;
  provider?: ProviderName;
  address: string;
  name: string;
  credits?: number | null;
  config?: Record<string, ConfigValue>;
}

export interface ChannelPatchInput {
  name?: string;
  address?: string;
  credits?: number | null;
  config?: Record<string, ConfigValue>;
}

/** Who asks: a provider's `baseUrl` may be set only with the operator key. */
export interface ChannelCaller {
  operator: boolean;
}

export async function createChannel(
  deps: AdminDeps,
  company: Company,
  input: ChannelInput,
  requestId: string,
  caller: ChannelCaller,
): Promise<Reply> {
  const provider = input.provider ?? "sandbox";
  const refused = baseUrlRefusal(input.config, caller, requestId);
  if (refused !== null) return refused;
  const config = normalizeChannelConfig(provider, input.config ?? {});
  const details = checkChannel(input.type, { provider, address: input.address, config });
  if (details.length === 0) details.push(...(await relayProblems(deps, provider, config)));
  if (details.length === 0) details.push(...(await baseUrlProblems(deps, input.config)));
  if (details.length > 0) return errorReply("VALIDATION_ERROR", { requestId, details });
  const channel: Channel = {
    id: deps.ids("channel"),
    companyId: company.id,
    type: input.type,
    provider,
    name: input.name,
    address: input.address,
    // Checked above: every value has its key's JSON type.
    config: config as Record<string, ConfigValue>,
    credits: input.credits ?? null,
    createdAt: new Date(deps.clock.now()),
    deletedAt: null,
  };
  await deps.channels.createChannel(channel);
  return jsonReply(201, channelView(channel, deps.publicUrl));
}

export async function getChannel(
  deps: AdminDeps,
  company: Company,
  id: string,
  requestId: string,
): Promise<Reply> {
  const channel = await deps.channels.getChannel(company.id, id);
  if (channel === null || channel.deletedAt !== null) return notFound(id, requestId);
  return jsonReply(200, channelView(channel, deps.publicUrl));
}

export async function listChannels(
  deps: AdminDeps,
  company: Company,
  query: { limit?: number; cursor?: string },
): Promise<Reply> {
  const page = await deps.channels.listChannels(company.id, pageOf(query));
  return jsonReply(200, {
    data: page.data.map((c) => channelView(c, deps.publicUrl)),
    nextCursor: page.nextCursor,
  });
}

export async function patchChannel(
  deps: AdminDeps,
  company: Company,
  id: string,
  input: ChannelPatchInput,
  requestId: string,
  caller: ChannelCaller,
): Promise<Reply> {
  const current = await deps.channels.getChannel(company.id, id);
  if (current === null || current.deletedAt !== null) return notFound(id, requestId);
  const refused = baseUrlRefusal(input.config, caller, requestId);
  if (refused !== null) return refused;
  // A patch of config merges into the stored keys so secrets need not be sent again.
  // Stored values are normalized again: a channel saved before config values were typed
  // holds `"50"` where a number now belongs.
  const config = normalizeChannelConfig(current.provider, { ...current.config, ...input.config });
  const address = input.address ?? current.address;
  const details = checkChannel(current.type, {
    provider: current.provider,
    address,
    config,
  });
  if (details.length === 0 && input.config !== undefined) {
    details.push(...(await relayProblems(deps, current.provider, config)));
  }
  if (details.length === 0) details.push(...(await baseUrlProblems(deps, input.config)));
  if (details.length > 0) return errorReply("VALIDATION_ERROR", { requestId, details });
  const updated = await deps.channels.updateChannel(company.id, id, {
    ...(input.name === undefined ? {} : { name: input.name }),
    ...(input.address === undefined ? {} : { address }),
    ...(input.config === undefined ? {} : { config: config as Record<string, ConfigValue> }),
    ...(input.credits === undefined ? {} : { credits: input.credits }),
  });
  if (updated === null) return notFound(id, requestId);
  // Cached token lookups carry the channel (credits, config): drop them.
  await deps.tokenCache.clear();
  return jsonReply(200, channelView(updated, deps.publicUrl));
}

export async function deleteChannel(
  deps: AdminDeps,
  company: Company,
  id: string,
  requestId: string,
): Promise<Reply> {
  const deleted = await deps.channels.softDeleteChannel(company.id, id, new Date(deps.clock.now()));
  if (!deleted) return notFound(id, requestId);
  await deps.tokenCache.clear();
  return { status: 204, body: "" };
}

/** docs/api.md#admin-api: a sandbox channel can pretend a message arrived, to try webhooks end to end. */
export async function simulateInbound(
  deps: AdminDeps,
  company: Company,
  id: string,
  input: { from: string; text: string },
  requestId: string,
): Promise<Reply> {
  const channel = await deps.channels.getChannel(company.id, id);
  if (channel === null || channel.deletedAt !== null) return notFound(id, requestId);
  if (channel.provider !== "sandbox") {
    return errorReply("VALIDATION_ERROR", {
      requestId,
      details: [
        {
          path: "",
          message: `Channel "${id}" uses provider "${channel.provider}": only sandbox channels simulate inbound messages`,
        },
      ],
    });
  }
  const { message, event } = await recordInbound(deps, channel, {
    from: input.from,
    payload: { text: input.text },
  });
  await applyInboundSignals(deps, channel, message);
  return jsonReply(201, {
    message: { id: message.id, status: message.status },
    event: { id: event.event.id, deliveries: event.deliveries.length },
  });
}

/**
 * An SMTP relay passes the address check at creation, after DNS, as a webhook URL does (and
 * again at every connection): loopback and private relays need SENDEASY_ALLOW_PRIVATE_WEBHOOKS.
 */
async function relayProblems(
  deps: AdminDeps,
  provider: ProviderName,
  config: Readonly<Record<string, unknown>>,
): Promise<ErrorDetail[]> {
  if (provider !== "smtp" || typeof config.host !== "string") return [];
  const checked = await deps.guardHost(config.host, "SMTP host");
  return checked.ok ? [] : [{ path: "/config/host", message: checked.message }];
}

/**
 * A provider's `baseUrl` decides where the channel's credentials and messages go: only the
 * operator may point it elsewhere (a test fake, a proxy), never a tenant.
 */
function baseUrlRefusal(
  config: Readonly<Record<string, unknown>> | undefined,
  caller: ChannelCaller,
  requestId: string,
): Reply | null {
  if (caller.operator || config === undefined || !Object.hasOwn(config, "baseUrl")) return null;
  return errorReply("FORBIDDEN", {
    requestId,
    message: "Only the operator key may set a provider's baseUrl",
    details: [{ path: "/config/baseUrl", message: "may be set only with the operator key" }],
  });
}

/** The address check of a `baseUrl` being set, after DNS (it is checked again at each send). */
async function baseUrlProblems(
  deps: AdminDeps,
  config: Readonly<Record<string, unknown>> | undefined,
): Promise<ErrorDetail[]> {
  const baseUrl = config?.baseUrl;
  // A baseUrl that is not text is the shape check's to report.
  if (typeof baseUrl !== "string") return [];
  const target = await deps.checkUrl(baseUrl, "baseUrl");
  return target.ok ? [] : [{ path: "/config/baseUrl", message: target.message }];
}

function notFound(id: string, requestId: string): Reply {
  return errorReply("CHANNEL_NOT_FOUND", { requestId, message: `Channel "${id}" not found` });
}
