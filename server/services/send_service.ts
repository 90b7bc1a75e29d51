/**
 * `POST /api/integration/generic` as a use case (docs/api.md#sending), free of any HTTP framework.
 * Checks run in the contract's order: 401, 404, 429, 415, 413, 400, 409/422, 422 suppressed
 * recipient, 422 closed WhatsApp window, 422 e-mail attachment that cannot be fetched, 402,
 * provider.
 *
 * @module
 */

import type { AttachmentOpener } from "../../core/ports/attachment_opener.ts";
import type { ChannelStore } from "../../core/ports/channel_store.ts";
import type { Clock } from "../../core/ports/clock.ts";
import type { ContactWindowStore } from "../../core/ports/contact_window_store.ts";
import type { IdempotencyStore } from "../../core/ports/idempotency_store.ts";
import type { IntegrationStore } from "../../core/ports/integration_store.ts";
import type { MessageStore } from "../../core/ports/message_store.ts";
import type { EmailAttachment, ProviderFault, ProviderResult } from "../../core/ports/providers.ts";
import type { RateLimiter } from "../../core/ports/rate_limiter.ts";
import type { SendPacer } from "../../core/ports/send_pacer.ts";
import type { SendQueue } from "../../core/ports/send_queue.ts";
import type { SuppressionStore } from "../../core/ports/suppression_store.ts";
import type { TokenStore } from "../../core/ports/token_store.ts";
import type { WorkSignal } from "../../core/ports/work_signal.ts";
import { errorReply, jsonReply, type Reply } from "../http/reply.ts";
import { retryAfterHeader } from "../http/retry_after.ts";
import type { Logger } from "../logger.ts";
import type { SendMetrics } from "../metrics/metrics.ts";
import { canonicalJsonHash } from "./canonical_json.ts";
import { countedDispatch } from "./counted_dispatch.ts";
import type { IdFactory } from "./ids.ts";
import type { OperatorAlerts } from "./operator_alerts.ts";
import { providerWaitMs, sendWithinBudget, takeTurn } from "./paced_send.ts";
import type { CheckUrl } from "./payload_urls.ts";
import type { ProviderRegistry } from "./provider_dispatch.ts";
import { suppressOnOptOutError } from "./provider_opt_outs.ts";
import { type AdmittedSend, admitSend } from "./send_admission.ts";
import { enqueueAdmitted, prefersAsync } from "./send_async.ts";
import { chargeSend } from "./send_charge.ts";
import { refuseRecipients } from "./send_recipients.ts";
import { beginSend } from "./send_record.ts";
import type { WebhookDirectory } from "./webhook_directory.ts";

/** docs/api.md#sending: keys are kept 24 h and are at most 255 characters. */
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** What the send use case needs, built by the composition root. */
export interface SendDeps {
  tokens: TokenStore;
  channels: ChannelStore;
  integrations: IntegrationStore;
  messages: MessageStore;
  idempotency: IdempotencyStore;
  suppressions: SuppressionStore;
  contactWindows: ContactWindowStore;
  /** Wakes the delivery workers after a suppression event (a send answered 21610). */
  signal: WorkSignal;
  limiter: RateLimiter;
  providers: ProviderRegistry;
  /** Opens e-mail attachments, fetching their URLs through the address check. */
  openAttachments: AttachmentOpener;
  webhooks: WebhookDirectory;
  ids: IdFactory;
  clock: Clock;
  logger: Logger;
  providerTimeoutMs: number;
  publicUrl: string;
  /** The address check of the URLs a send makes a provider fetch (`files`, `mediaUrls`). */
  checkUrl: CheckUrl;
  /** Refused credentials and exhausted credits are told to the operator (README). */
  alerts?: OperatorAlerts;
  /** Counts provider calls and times them (`GET /metrics`). */
  metrics?: SendMetrics;
  /** Paces each channel's sends at its `maxPerSecond`. */
  pacer: SendPacer;
  /** How long a send may wait for its channel's turn (`SENDEASY_SEND_QUEUE_MS`). */
  sendQueueMs: number;
  /** Where asynchronous sends wait for the send worker. */
  sendQueue: SendQueue;
}

/** The parts of an HTTP request the use case reads. */
export interface SendRequest {
  requestId: string;
  authorization: string | null;
  contentType: string | null;
  idempotencyKey: string | null;
  /** The `Prefer` header: `respond-async` queues the send and answers 202. */
  prefer: string | null;
  readBody: () => Promise<Uint8Array | "too_large">;
}

/**
 * Runs one send from the raw request to the reply.
 *
 * @param deps stores, providers and helpers
 * @param request what the route read from the HTTP request
 * @returns the reply; never throws for bad input
 */
export async function handleSend(deps: SendDeps, request: SendRequest): Promise<Reply> {
  const now = deps.clock.now();
  const admitted = await admitSend(deps, request, now);
  if (!admitted.ok) return admitted.reply;
  const { send } = admitted;
  const key = request.idempotencyKey;
  const async = prefersAsync(request.prefer);
  if (key === null) return sendAdmitted(deps, { requestId: request.requestId, send, key, async });

  // 409/422 come after validation and before credits (docs/api.md#check-order).
  const scope = send.integration.id;
  const fingerprint = await canonicalJsonHash(send.body);
  const claim = await deps.idempotency.claim(scope, key, {
    fingerprint,
    now,
    ttlMs: IDEMPOTENCY_TTL_MS,
  });
  switch (claim.state) {
    case "in_progress":
      return errorReply("IDEMPOTENCY_IN_PROGRESS", {
        requestId: request.requestId,
        headers: { "retry-after": retryAfterHeader(1_000) },
      });
    case "mismatch":
      return errorReply("IDEMPOTENCY_KEY_REUSED", { requestId: request.requestId });
    case "completed":
      return { ...claim.response, headers: { "idempotent-replayed": "true" } };
    case "claimed":
      break;
  }
  try {
    const reply = await sendAdmitted(deps, { requestId: request.requestId, send, key, async });
    // Only a send the provider accepted (200) or that was queued (202) is remembered, and a
    // repeat replays that answer in either mode: after a 402, 429 or 502 nothing went out, so
    // the caller may try again with the same key.
    if (reply.status === 200 || reply.status === 202) {
      await deps.idempotency.complete(scope, key, reply);
    } else await deps.idempotency.release(scope, key);
    return reply;
  } catch (error) {
    await deps.idempotency.release(scope, key).catch(() => undefined);
    throw error;
  }
}

/**
 * Recipients first (suppressed, WhatsApp window), then e-mail attachments given by URL are
 * requested (after the idempotency check, so a replay fetches nothing; before credits, so a
 * file that cannot be had costs nothing), and their fetches end with the send whatever happens.
 */
async function sendAdmitted(
  deps: SendDeps,
  request: { requestId: string; send: AdmittedSend; key: string | null; async: boolean },
): Promise<Reply> {
  const { requestId, send } = request;
  const refused = await refuseRecipients(deps, { requestId, send, now: deps.clock.now() });
  if (refused !== null) return refused;
  // Queued sends fetch their attachments when they go, in the send worker.
  if (request.async || send.sendAt !== null) return enqueueAdmitted(deps, request);
  const { validated } = send;
  if (validated.channelType !== "email" || validated.payload.attachments === undefined) {
    return sendOpened(deps, { ...request, attachments: [] });
  }
  const opened = await deps.openAttachments(validated.payload.attachments);
  if (!opened.ok) {
    return errorReply("ATTACHMENT_UNAVAILABLE", { requestId, details: opened.details });
  }
  try {
    return await sendOpened(deps, { ...request, attachments: opened.opened.list });
  } finally {
    opened.opened.close();
  }
}

/** Credits, the provider, then the message and its event in one durable write. */
async function sendOpened(
  deps: SendDeps,
  request: {
    requestId: string;
    send: AdmittedSend;
    key: string | null;
    attachments: readonly EmailAttachment[];
  },
): Promise<Reply> {
  const { requestId, send } = request;
  const { channel, integration } = send;
  const charged = await chargeSend(deps, request);
  if (!charged.ok) return charged.reply;
  const { recipients, segments, cost } = charged.charge;
  // The send's turn at its channel's rate, before anything is written: a send that cannot
  // have one in time is refused with nothing stored (README "Throughput, retries, async and
  // scheduled sends").
  const deadline = deps.clock.now() + deps.sendQueueMs;
  const turn = await takeTurn(deps, { channel, deadline });
  if (!turn.ok) {
    if (channel.credits !== null) await deps.channels.refundCredits(channel.id, cost);
    return providerRateLimited(requestId, turn.retryAfterMs);
  }
  const messageId = deps.ids("message");
  const record = await beginSend(deps, { ...send, id: messageId, recipients, segments, cost });
  const result = await sendWithinBudget(deps, {
    channel,
    deadline,
    send: () => callProvider(deps, { ...request, messageId }),
  });
  deps.integrations.touchTokenUse(integration.id, new Date(deps.clock.now()));
  await record.finish(result);
  if (!result.ok) {
    if (channel.credits !== null) await deps.channels.refundCredits(channel.id, cost);
    if (result.rateLimited !== undefined) {
      const waitMs = providerWaitMs(channel, result.rateLimited.retryAfterMs);
      return providerRateLimited(requestId, waitMs, result.fault);
    }
    // Twilio 21610 (the number replied STOP): still a 502, and refused up front next time.
    const message = { id: messageId, to: recipients };
    await suppressOnOptOutError(deps, channel, { message, code: result.fault.code });
    await deps.alerts?.providerRefused(channel, result);
    return refusedByProvider(deps, { requestId, messageId, result });
  }
  return jsonReply(200, {
    id: messageId,
    status: "sent",
    channel: { id: channel.id, type: channel.type },
    provider: channel.provider,
    providerMessageId: result.providerMessageId,
    ...(segments === null ? {} : { segments }),
  });
}

/** One request to the channel's provider; every try of a send makes the very same one. */
function callProvider(
  deps: SendDeps,
  request: {
    send: AdmittedSend;
    key: string | null;
    attachments: readonly EmailAttachment[];
    messageId: string;
  },
): Promise<ProviderResult> {
  const { channel, integration, validated } = request.send;
  return countedDispatch(deps, {
    channel,
    validated,
    timeoutMs: deps.providerTimeoutMs,
    options: {
      messageId: request.messageId,
      ...(request.key === null ? {} : { idempotencyKey: `${integration.id}:${request.key}` }),
      callbackUrl: `${deps.publicUrl}/hooks/${channel.provider}/${channel.id}`,
      attachments: request.attachments,
    },
  });
}

/** 429 `PROVIDER_RATE_LIMITED`: the channel's provider had no turn for the send in time. */
function providerRateLimited(
  requestId: string,
  retryAfterMs: number,
  provider?: ProviderFault,
): Reply {
  const headers = { "retry-after": retryAfterHeader(retryAfterMs) };
  return errorReply("PROVIDER_RATE_LIMITED", {
    requestId,
    headers,
    ...(provider === undefined ? {} : { provider }),
  });
}

/** docs/api.md#errors: out of funds is 402, any other provider failure 502, both naming the provider. */
function refusedByProvider(
  deps: SendDeps,
  failure: { requestId: string; messageId: string; result: Extract<ProviderResult, { ok: false }> },
): Reply {
  const { requestId, messageId, result } = failure;
  deps.logger.warn("provider refused send", {
    requestId,
    messageId,
    provider: result.fault.name,
    code: result.fault.code,
  });
  if (result.code === "NO_FUNDS") {
    const message = "The provider account has no funds; nothing was sent";
    return errorReply("NO_CREDITS", { requestId, message, provider: result.fault });
  }
  return errorReply("PROVIDER_FAILURE", { requestId, provider: result.fault });
}
