/**
 * Applies a later word of our own about a message (the sandbox's delivered or failed) by the
 * status rule, and emits the matching event in the same transaction (the outbox, README
 * "Webhooks").
 *
 * @module
 */

import type { Channel, MessageStatus } from "../../core/domain.ts";
import { eventTypeForStatus } from "../../core/events.ts";
import type { ChannelStore } from "../../core/ports/channel_store.ts";
import type { Clock } from "../../core/ports/clock.ts";
import type { MessageStore, StatusChangeOutcome } from "../../core/ports/message_store.ts";
import type { IdFactory } from "./ids.ts";
import { messageEventSpec } from "./outbox.ts";
import type { WebhookDirectory } from "./webhook_directory.ts";

export interface StatusDeps {
  channels: ChannelStore;
  messages: MessageStore;
  webhooks: WebhookDirectory;
  ids: IdFactory;
  clock: Clock;
}

/** A status change reported for one of our messages. */
export interface StatusReport {
  companyId: string;
  channelId: string;
  messageId: string;
  status: MessageStatus;
  reason?: string;
  /** For a failure: what went wrong, in words (the code is `reason`). */
  errorMessage?: string;
  /**
   * The message's channel, when the reporter already holds it (the sandbox does): the event
   * then names it as it was at send time, and the report costs no read.
   */
  channel?: Channel;
}

/**
 * Records the status by the status rule; a status the message already had is no news.
 *
 * @returns what the report did (`unknown` also when the channel is gone)
 */
export async function applyStatusReport(
  deps: StatusDeps,
  report: StatusReport,
): Promise<StatusChangeOutcome> {
  const channel =
    report.channel ?? (await deps.channels.getChannel(report.companyId, report.channelId));
  if (channel === null) return "unknown";
  const webhooks = await deps.webhooks.forCompany(report.companyId);
  const now = deps.clock.now();
  const type = eventTypeForStatus(report.status);
  // Ids and targets are decided before the write (they do not depend on the message); the
  // store builds the event from the updated message inside its transaction.
  const event =
    type === null ? null : messageEventSpec(type, { channel, webhooks, ids: deps.ids, now });
  return deps.messages.updateMessageStatus(
    report.messageId,
    {
      status: report.status,
      at: new Date(now),
      ...(report.reason === undefined ? {} : { reason: report.reason }),
      ...(report.errorMessage === undefined
        ? {}
        : { error: { code: report.reason ?? report.status, message: report.errorMessage } }),
    },
    event,
  );
}
