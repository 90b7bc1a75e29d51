/**
 * One try of a queued send: its channel's turn, its attachments, the provider (with the send's
 * one idempotency key), then the outcome: `sent`, put back for a later try, or `failed`.
 *
 * @module
 */
import type { Channel } from "../../core/domain.ts";
import type { PayloadOk } from "../../core/payloads/validate.ts";
import type { AttachmentOpener } from "../../core/ports/attachment_opener.ts";
import type { ChannelStore } from "../../core/ports/channel_store.ts";
import type { Clock } from "../../core/ports/clock.ts";
import type { MessageStore } from "../../core/ports/message_store.ts";
import type { EmailAttachment, ProviderResult } from "../../core/ports/providers.ts";
import type { SendPacer } from "../../core/ports/send_pacer.ts";
import type { QueuedSend, SendQueue } from "../../core/ports/send_queue.ts";
import { nextSendTry } from "../../core/send_schedule.ts";
import type { SendMetrics } from "../metrics/metrics.ts";
import { countedDispatch } from "../services/counted_dispatch.ts";
import type { IdFactory } from "../services/ids.ts";
import type { OperatorAlerts } from "../services/operator_alerts.ts";
import { sendOutcome } from "../services/outbound_message.ts";
import { messageEventSpec } from "../services/outbox.ts";
import { providerWaitMs, takeTurn } from "../services/paced_send.ts";
import type { ProviderRegistry } from "../services/provider_dispatch.ts";
import { suppressOnOptOutError } from "../services/provider_opt_outs.ts";
import type { SuppressionDeps } from "../services/suppression_service.ts";
import type { WebhookDirectory } from "../services/webhook_directory.ts";

/** What one try needs (and a refusal's opt-out suppression). */
export interface QueuedSendDeps extends SuppressionDeps {
  queue: SendQueue;
  messages: MessageStore;
  channels: ChannelStore;
  providers: ProviderRegistry;
  pacer: SendPacer;
  webhooks: WebhookDirectory;
  openAttachments: AttachmentOpener;
  ids: IdFactory;
  clock: Clock;
  random: () => number;
  providerTimeoutMs: number;
  publicUrl: string;
  /** How long a claim holds a send: its pace wait, the provider's answer and a margin. */
  leaseMs: number;
  /** How long a send may wait for its channel's turn before it is put back. */
  paceBudgetMs: number;
  /** Counts provider calls and times them (`GET /metrics`). */
  metrics?: SendMetrics;
  /** Refused credentials are told to the operator (docs/operations.md "Operator alerts"). */
  alerts?: OperatorAlerts;
}

/**
 * Tries `claim` once and records what came of it.
 *
 * @param deps the stores, providers and pacer
 * @param claim the leased send
 */
export async function sendQueued(deps: QueuedSendDeps, claim: QueuedSend): Promise<void> {
  const { message } = claim;
  const channel = await deps.channels.findChannelById(message.channelId);
  if (channel === null || channel.deletedAt !== null) {
    const fault = { name: message.provider, code: "channel_not_found", message: "Channel deleted" };
    return finish(deps, { claim, channel: null, result: { ok: false, code: "FAILURE", fault } });
  }
  const now = deps.clock.now();
  const turn = await takeTurn(deps, { channel, deadline: now + deps.paceBudgetMs });
  if (!turn.ok) {
    const dueAt = new Date(now + turn.retryAfterMs);
    return deps.queue.retrySendLater(message.id, { dueAt, attempts: claim.attempts });
  }
  const result = await attempt(deps, claim, channel);
  const temporary = !result.ok && (result.temporary === true || result.rateLimited !== undefined);
  if (temporary) {
    const retryAfterMs = result.rateLimited?.retryAfterMs ?? null;
    const attempts = claim.attempts + 1;
    const at = nextSendTry(attempts, {
      now: deps.clock.now(),
      random: deps.random(),
      retryAfterMs,
    });
    if (at !== null) {
      const wait = Math.max(at, deps.clock.now() + providerWaitMs(channel, retryAfterMs));
      return deps.queue.retrySendLater(message.id, { dueAt: new Date(wait), attempts });
    }
  }
  return finish(deps, { claim, channel, result });
}

/** The provider call, with the e-mail's attachments opened for it and closed after. */
async function attempt(
  deps: QueuedSendDeps,
  claim: QueuedSend,
  channel: Channel,
): Promise<ProviderResult> {
  const { message } = claim;
  const validated = { ok: true, channelType: message.channelType, payload: message.payload };
  const files = message.channelType === "email" ? message.payload.attachments : undefined;
  let attachments: readonly EmailAttachment[] = [];
  let close = () => {};
  if (Array.isArray(files) && files.length > 0) {
    const opened = await deps.openAttachments(files);
    if (!opened.ok) {
      const text = opened.details.map((detail) => detail.message).join("; ");
      const fault = { name: channel.provider, code: "attachment_unavailable", message: text };
      return { ok: false, code: "FAILURE", fault };
    }
    ({ list: attachments } = opened.opened);
    close = () => opened.opened.close();
  }
  try {
    return await countedDispatch(deps, {
      channel,
      validated: validated as PayloadOk,
      timeoutMs: deps.providerTimeoutMs,
      options: {
        messageId: message.id,
        idempotencyKey: claim.sendKey,
        callbackUrl: `${deps.publicUrl}/hooks/${channel.provider}/${channel.id}`,
        attachments,
      },
    });
  } finally {
    close();
  }
}

/** Records `sent` or `failed` with its event; a failure gives the credits back. */
async function finish(
  deps: QueuedSendDeps,
  outcome: { claim: QueuedSend; channel: Channel | null; result: ProviderResult },
): Promise<void> {
  const { claim, channel, result } = outcome;
  const at = new Date(deps.clock.now());
  const type = result.ok ? "message.sent" : "message.failed";
  const spec =
    channel === null
      ? null
      : messageEventSpec(type, {
          channel,
          webhooks: await deps.webhooks.forCompany(channel.companyId),
          ids: deps.ids,
          now: at.getTime(),
        });
  await deps.messages.recordSendOutcome(claim.message.id, sendOutcome(result, at), spec);
  if (!result.ok && channel !== null && channel.credits !== null && claim.message.credits > 0) {
    await deps.channels.refundCredits(channel.id, claim.message.credits);
  }
  if (result.ok || channel === null) return;
  // Twilio 21610 (the number replied STOP): refused up front next time, as for a sync send.
  const code = result.fault.code;
  await suppressOnOptOutError(deps, channel, { message: claim.message, code });
  await deps.alerts?.providerRefused(channel, result);
}
