/**
 * Applies a provider's later word about a message (delivered, read, failed) and emits the
 * matching event in the same transaction (SPEC.md §4 outbox).
 *
 * @module
 */

import type { Channel, MessageStatus } from "../../core/domain.ts";
import { eventTypeForStatus } from "../../core/events.ts";
import type { ChannelStore } from "../../core/ports/channel_store.ts";
import type { Clock } from "../../core/ports/clock.ts";
import type { MessageStore } from "../../core/ports/message_store.ts";
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
  /**
   * The message's channel, when the reporter already holds it (the sandbox does): the event
   * then names it as it was at send time, and the report costs no read.
   */
  channel?: Channel;
}

/**
 * Records the status unless the message already has it (repeated callbacks change nothing).
 *
 * @returns whether anything changed
 */
export async function applyStatusReport(deps: StatusDeps, report: StatusReport): Promise<boolean> {
  const channel =
    report.channel ?? (await deps.channels.getChannel(report.companyId, report.channelId));
  if (channel === null) return false;
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
    },
    event,
  );
}
