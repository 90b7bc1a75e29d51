/**
 * A provider's error that means "this recipient does not want our messages" (Twilio 21610,
 * Meta 131050), at send time or in a later report: the message's recipients join the
 * company's suppression list, so the next send is refused before it costs anything.
 *
 * @module
 */
import type { Channel, Message } from "../../core/domain.ts";
import type { MessageStore } from "../../core/ports/message_store.ts";
import { suppressionForProviderError } from "../../core/provider_opt_outs.ts";
import { type SuppressionDeps, suppress } from "./suppression_service.ts";

/**
 * Suppresses the recipients of `message` when `code` is an opt-out error of the channel's
 * provider; does nothing otherwise.
 *
 * @returns how many recipients were newly suppressed
 */
export async function suppressOnOptOutError(
  deps: SuppressionDeps,
  channel: Channel,
  failure: { message: Pick<Message, "id" | "to">; code: string },
): Promise<number> {
  const reason = suppressionForProviderError(channel.provider, failure.code);
  if (reason === null) return 0;
  let added = 0;
  for (const address of failure.message.to) {
    const result = await suppress(deps, {
      companyId: channel.companyId,
      channelType: channel.type,
      address,
      reason,
      messageId: failure.message.id,
      cause: channel,
    });
    if (result.added) added++;
  }
  return added;
}

/**
 * {@linkcode suppressOnOptOutError} for a failure reported later, in a provider's callback,
 * about the message it sent as `providerMessageId` on `channel`.
 */
export async function suppressReportedOptOut(
  deps: SuppressionDeps & { messages: MessageStore },
  channel: Channel,
  report: { providerMessageId: string; code: string },
): Promise<number> {
  if (suppressionForProviderError(channel.provider, report.code) === null) return 0;
  const message = await deps.messages.findMessageByProviderId(channel.id, report.providerMessageId);
  if (message === null || message.direction !== "outbound") return 0;
  return suppressOnOptOutError(deps, channel, { message, code: report.code });
}
