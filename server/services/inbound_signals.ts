/**
 * What an inbound SMS or WhatsApp message says besides its content: a reply that is exactly an
 * opt-out word (STOP…) puts its sender on the company's suppression list and an opt-in word
 * (START…) takes it off (README "Suppressions"); on WhatsApp, any message opens the sender's
 * 24-hour window (README "The 24-hour window").
 *
 * @module
 */
import type { Channel, Message } from "../../core/domain.ts";
import { optOutIntent } from "../../core/opt_out_keywords.ts";
import type { ContactWindowStore } from "../../core/ports/contact_window_store.ts";
import { suppressionAddress } from "../../core/suppression_address.ts";
import { type SuppressionDeps, suppress, unsuppressAddress } from "./suppression_service.ts";

/** What the signals write to. */
export interface InboundSignalDeps extends SuppressionDeps {
  contactWindows: ContactWindowStore;
}

/** What the provider said about the message besides the message itself. */
export interface InboundHints {
  /** Twilio's `OptOutType` (`STOP`, `START`, `HELP`), sent with Advanced Opt-Out. */
  optOutType?: string;
  /** When the contact sent it, by the provider's clock (Meta's `timestamp`). */
  sentAt?: Date;
}

/**
 * Applies the signals of one stored inbound message. Each is idempotent (a listed address
 * stays listed once, a window keeps its latest time), so a repeated callback changes nothing.
 *
 * @param message the inbound message as stored (its id is the suppression's `messageId`)
 */
export async function applyInboundSignals(
  deps: InboundSignalDeps,
  channel: Channel,
  message: Message,
  hints: InboundHints = {},
): Promise<void> {
  if (channel.type === "email") return;
  if (channel.type === "whatsapp") {
    const now = deps.clock.now();
    // The window runs from when the contact wrote; a provider clock ahead of ours counts as now.
    const at =
      hints.sentAt !== undefined && hints.sentAt.getTime() < now ? hints.sentAt : new Date(now);
    await deps.contactWindows.recordInbound(
      channel.id,
      suppressionAddress("whatsapp", message.from),
      at,
    );
  }
  const text = typeof message.payload.text === "string" ? message.payload.text : undefined;
  const intent = optOutIntent(
    text,
    hints.optOutType === undefined ? {} : { optOutType: hints.optOutType },
  );
  const target = {
    companyId: channel.companyId,
    channelType: channel.type,
    address: message.from,
    cause: channel,
  };
  if (intent === "stop") await suppress(deps, { ...target, reason: "stop", messageId: message.id });
  if (intent === "start") await unsuppressAddress(deps, target);
}
