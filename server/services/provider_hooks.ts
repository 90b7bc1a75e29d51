/**
 * What every provider callback does once its signature is checked: find the channel, turn a
 * provider status into our message's status (and its event), or record an inbound message.
 * The provider-specific parts live in `hook_twilio.ts`, `hook_resend.ts` and `hook_meta.ts`.
 *
 * @module
 */
import type { Channel, Message, MessageStatus, ProviderName } from "../../core/domain.ts";
import type { ChannelStore } from "../../core/ports/channel_store.ts";
import type { Clock } from "../../core/ports/clock.ts";
import type { ContactWindowStore } from "../../core/ports/contact_window_store.ts";
import type { MessageStore } from "../../core/ports/message_store.ts";
import type { SuppressionStore } from "../../core/ports/suppression_store.ts";
import type { WorkSignal } from "../../core/ports/work_signal.ts";
import { errorReply, type Reply } from "../http/reply.ts";
import type { Logger } from "../logger.ts";
import { decoyChannel } from "./decoy_channel.ts";
import type { IdFactory } from "./ids.ts";
import { type InboundInput, recordInbound } from "./inbound_service.ts";
import { applyInboundSignals, type InboundHints } from "./inbound_signals.ts";
import { applyStatusReport } from "./status_service.ts";
import type { WebhookDirectory } from "./webhook_directory.ts";

/** What the callback use cases need, built by the composition root. */
export interface HookDeps {
  /** A channel by id alone (callbacks name no company). */
  findChannel: (channelId: string) => Promise<Channel | null>;
  channels: ChannelStore;
  messages: MessageStore;
  suppressions: SuppressionStore;
  contactWindows: ContactWindowStore;
  /** Wakes the delivery workers after a suppression event. */
  signal: WorkSignal;
  webhooks: WebhookDirectory;
  ids: IdFactory;
  clock: Clock;
  logger: Logger;
  /** `SENDEASY_PUBLIC_URL`: Twilio signs the URL it called, which is this plus the path. */
  publicUrl: string;
}

/** A later status a provider reports, in our words. */
export type ReportedStatus = Extract<MessageStatus, "delivered" | "read" | "failed">;

/**
 * The live channel of `channelId` when it uses `provider`; otherwise a decoy with random
 * secrets (see `decoy_channel.ts`), so the callback fails its signature check like any forgery
 * and an unknown channel cannot be told from a known one.
 */
export async function hookChannel(
  deps: HookDeps,
  provider: ProviderName,
  channelId: string,
): Promise<Channel> {
  const channel = await deps.findChannel(channelId);
  if (channel === null || channel.deletedAt !== null || channel.provider !== provider) {
    return decoyChannel(provider, channelId);
  }
  return channel;
}

/**
 * Applies a provider's status to the outbound message it sent as `providerMessageId`. A status
 * the message already had, or one behind where it stands (providers deliver callbacks out of
 * order: `delivered` after `read`), changes nothing and emits nothing.
 *
 * @param grace how long an unknown id may still be waited for; share one across the statuses
 * of one callback so a batch of foreign ids waits once, not once each
 * @returns `applied`, `unchanged`, or `unknown` when no message of this channel has that id
 */
export async function reportProviderStatus(
  deps: HookDeps,
  channel: Channel,
  report: { providerMessageId: string; status: ReportedStatus; reason?: string },
  grace: UnknownIdGrace = unknownIdGrace(),
): Promise<"applied" | "unchanged" | "unknown"> {
  const message = await findSentMessage(deps, channel.id, report.providerMessageId, grace);
  if (message === null || message.direction !== "outbound") return "unknown";
  if (!movesForward(message.status, report.status)) return "unchanged";
  const changed = await applyStatusReport(deps, {
    companyId: message.companyId,
    channelId: channel.id,
    messageId: message.id,
    status: report.status,
    ...(report.reason === undefined ? {} : { reason: report.reason }),
  });
  return changed ? "applied" : "unchanged";
}

/** The waits left for unknown ids within one callback. */
export interface UnknownIdGrace {
  delaysMs: number[];
}

/**
 * A fast provider can call back between answering the send and our storing the message (the
 * send path stores it once the provider has answered), so an unknown id is looked up again
 * after 25, 50, 100, 200 and 400 ms before the status is acknowledged and dropped.
 */
export function unknownIdGrace(): UnknownIdGrace {
  return { delaysMs: [25, 50, 100, 200, 400] };
}

async function findSentMessage(
  deps: HookDeps,
  channelId: string,
  providerMessageId: string,
  grace: UnknownIdGrace,
): Promise<Message | null> {
  let message = await deps.messages.findMessageByProviderId(channelId, providerMessageId);
  while (message === null && grace.delaysMs.length > 0) {
    const delay = grace.delaysMs.shift()!;
    await new Promise((resolve) => setTimeout(resolve, delay));
    message = await deps.messages.findMessageByProviderId(channelId, providerMessageId);
  }
  return message;
}

/**
 * Records an inbound message unless one with the same provider id is already stored on the
 * channel (a provider that retries its callback), then applies what it signals (opt-out
 * words, the WhatsApp window) — again for a repeat, which changes nothing twice, so a crash
 * between the two writes is mended by the provider's retry.
 *
 * @param hints what the provider said besides the message (Twilio's `OptOutType`, Meta's time)
 * @returns `created` or `duplicate`
 */
export async function receiveProviderMessage(
  deps: HookDeps,
  channel: Channel,
  input: InboundInput & { providerMessageId: string },
  hints: InboundHints = {},
): Promise<"created" | "duplicate"> {
  const existing = await deps.messages.findMessageByProviderId(channel.id, input.providerMessageId);
  if (existing !== null) {
    await applyInboundSignals(deps, channel, existing, hints);
    return "duplicate";
  }
  const { message } = await recordInbound(deps, channel, input);
  await applyInboundSignals(deps, channel, message, hints);
  return "created";
}

const RANK: Readonly<Record<MessageStatus, number>> = {
  queued: 0,
  sent: 1,
  delivered: 2,
  read: 3,
  failed: 3,
  received: 0,
};

/**
 * Whether `next` moves a message on from `current`: `delivered` and `read` only forward;
 * `failed` unless the message was read already (a read message was delivered).
 */
export function movesForward(current: MessageStatus, next: ReportedStatus): boolean {
  if (current === "failed" || current === next) return false;
  if (next === "failed") return current !== "read";
  return RANK[next] > RANK[current];
}

/** 401 for a callback whose signature is missing or wrong: nothing was read or changed. */
export function badSignature(requestId: string, message: string): Reply {
  return errorReply("ERR_NO_PERMISSION", { requestId, message });
}

/** 413 for a callback body over the limit. */
export function tooLarge(requestId: string): Reply {
  return errorReply("PAYLOAD_TOO_LARGE", { requestId, message: "Callback body is too large" });
}

/** A callback body as text; `null` when it is not UTF-8. */
export function bodyText(raw: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    return null;
  }
}

/** A callback body parsed as JSON; `null` when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** A JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
