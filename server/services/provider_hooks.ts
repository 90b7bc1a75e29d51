/**
 * What every provider callback does once its signature is checked: find the channel, turn a
 * provider status into our message's status (and its event), or record an inbound message.
 * The provider-specific parts live in `hook_twilio.ts`, `hook_resend.ts` and `hook_meta.ts`.
 *
 * @module
 */
import type { Channel, MessageStatus, ProviderName } from "../../core/domain.ts";
import { eventTypeForStatus } from "../../core/events.ts";
import type { StatusReport } from "../../core/message_status.ts";
import type { ChannelStore } from "../../core/ports/channel_store.ts";
import type { Clock } from "../../core/ports/clock.ts";
import type { ContactWindowStore } from "../../core/ports/contact_window_store.ts";
import type { MessageStore, ProviderReportOutcome } from "../../core/ports/message_store.ts";
import type { SuppressionStore } from "../../core/ports/suppression_store.ts";
import type { WorkSignal } from "../../core/ports/work_signal.ts";
import { errorReply, type Reply } from "../http/reply.ts";
import type { Logger } from "../logger.ts";
import { decoyChannel } from "./decoy_channel.ts";
import type { IdFactory } from "./ids.ts";
import { type InboundInput, recordInbound } from "./inbound_service.ts";
import { applyInboundSignals, type InboundHints } from "./inbound_signals.ts";
import { messageEventSpec } from "./outbox.ts";
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

/** A status a provider reported about a message it sent, in our words. */
export interface ProviderStatusReport {
  providerMessageId: string;
  status: ReportedStatus;
  /** The provider's error code (or short reason), for failures. */
  reason?: string;
  /** What went wrong, in the provider's words, for failures. */
  errorMessage?: string;
  /**
   * What makes this report one report: the provider's event id, or what it reported (default
   * the status). The same callback delivered several times has one key, and has one effect.
   */
  key?: string;
}

/**
 * Hands a provider's status to the store, which applies it by the status rule inside its
 * write (README "Message statuses"): once per report key; a late or backwards report is kept
 * in the history as not applied and emits nothing; a report about an id no message has yet
 * (the provider called back before its answer to the send was written) waits, durably, and
 * applies in the write that gives a message that id.
 *
 * @returns what the store did with it
 */
export async function reportProviderStatus(
  deps: HookDeps,
  channel: Channel,
  input: ProviderStatusReport,
): Promise<ProviderReportOutcome> {
  const now = deps.clock.now();
  const webhooks = await deps.webhooks.forCompany(channel.companyId);
  const type = eventTypeForStatus(input.status);
  const event =
    type === null ? null : messageEventSpec(type, { channel, webhooks, ids: deps.ids, now });
  const report: StatusReport = { status: input.status, at: new Date(now) };
  if (input.reason !== undefined) report.reason = input.reason;
  if (input.status === "failed") {
    report.error = {
      code: input.reason ?? "failed",
      message: input.errorMessage ?? `${channel.provider} reported the message as failed`,
    };
  }
  const outcome = await deps.messages.reportStatus({
    channelId: channel.id,
    providerMessageId: input.providerMessageId,
    key: input.key ?? input.status,
    report,
    event,
  });
  if (outcome === "waiting") {
    deps.logger.info("status report kept until its message is written", {
      channelId: channel.id,
      providerMessageId: input.providerMessageId,
      status: input.status,
    });
  }
  return outcome;
}

/**
 * Records an inbound message unless one with the same provider id is already stored on the
 * channel (a provider that retries its callback, even several copies at once: the store's
 * unique key decides), then applies what it signals (opt-out words, the WhatsApp window) —
 * again for a repeat, which changes nothing twice, so a crash between the two writes is
 * mended by the provider's retry.
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
  const { message, created } = await recordInbound(deps, channel, input);
  const stored = created
    ? message
    : await deps.messages.findMessageByProviderId(channel.id, input.providerMessageId);
  if (stored !== null) await applyInboundSignals(deps, channel, stored, hints);
  return created ? "created" : "duplicate";
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
