/**
 * `POST /api/integration/generic` as a use case (SPEC.md §3), free of any HTTP framework.
 * Checks run in the contract's order: 401, 404, 429, 415, 413, 400, 409/422, 402, provider.
 *
 * @module
 */

import { creditCost } from "../../core/credits.ts";
import type { Channel, CustomIntegration, ErrorDetail, Message } from "../../core/domain.ts";
import { DEFAULT_RATE_LIMIT } from "../../core/domain.ts";
import type { PayloadOk } from "../../core/payloads/validate.ts";
import { validateSendPayload } from "../../core/payloads/validate.ts";
import type { ChannelStore } from "../../core/ports/channel_store.ts";
import type { Clock } from "../../core/ports/clock.ts";
import type { IdempotencyStore } from "../../core/ports/idempotency_store.ts";
import type { IntegrationStore } from "../../core/ports/integration_store.ts";
import type { MessageStore } from "../../core/ports/message_store.ts";
import type { ProviderResult } from "../../core/ports/providers.ts";
import type { RateLimiter } from "../../core/ports/rate_limiter.ts";
import type { TokenStore } from "../../core/ports/token_store.ts";
import { resolveToken } from "../../core/resolve_token.ts";
import { countSmsSegments } from "../../core/sms_segments.ts";
import { isJsonContentType, MAX_SEND_BODY_BYTES } from "../http/read_body.ts";
import { errorReply, jsonReply, type Reply } from "../http/reply.ts";
import type { Logger } from "../logger.ts";
import { canonicalJsonHash } from "./canonical_json.ts";
import type { IdFactory } from "./ids.ts";
import { messageEvent } from "./outbox.ts";
import { dispatchSend, type ProviderRegistry } from "./provider_dispatch.ts";
import type { WebhookDirectory } from "./webhook_directory.ts";

/** SPEC.md §3: keys are kept 24 h and are at most 255 characters. */
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** What the send use case needs, built by the composition root. */
export interface SendDeps {
  tokens: TokenStore;
  channels: ChannelStore;
  integrations: IntegrationStore;
  messages: MessageStore;
  idempotency: IdempotencyStore;
  limiter: RateLimiter;
  providers: ProviderRegistry;
  webhooks: WebhookDirectory;
  ids: IdFactory;
  clock: Clock;
  logger: Logger;
  providerTimeoutMs: number;
  publicUrl: string;
}

/** The parts of an HTTP request the use case reads. */
export interface SendRequest {
  requestId: string;
  authorization: string | null;
  contentType: string | null;
  idempotencyKey: string | null;
  readBody: () => Promise<Uint8Array | "too_large">;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Runs one send from the raw request to the reply.
 *
 * @param deps stores, providers and helpers
 * @param request what the route read from the HTTP request
 * @returns the reply; never throws for bad input
 */
export async function handleSend(deps: SendDeps, request: SendRequest): Promise<Reply> {
  const { requestId } = request;
  const now = deps.clock.now();
  const resolved = await resolveToken(request.authorization, { store: deps.tokens, now });
  if (!resolved.ok) {
    deps.logger.info("send refused", { requestId, code: resolved.code, reason: resolved.reason });
    return errorReply(resolved.code, { requestId });
  }
  const { channel, integration } = resolved;

  const rate = await deps.limiter.take(
    integration.id,
    integration.rateLimit ?? DEFAULT_RATE_LIMIT,
    now,
  );
  if (!rate.ok) {
    const seconds = Math.max(1, Math.ceil(rate.retryAfterMs / 1000));
    return errorReply("RATE_LIMITED", { requestId, headers: { "retry-after": String(seconds) } });
  }
  if (!isJsonContentType(request.contentType))
    return errorReply("UNSUPPORTED_MEDIA_TYPE", { requestId });

  const raw = await request.readBody();
  if (raw === "too_large") {
    return errorReply("PAYLOAD_TOO_LARGE", {
      requestId,
      message: `Request body must be at most ${MAX_SEND_BODY_BYTES} bytes`,
    });
  }
  const parsed = parseJson(raw);
  const keyProblems = idempotencyKeyProblems(request.idempotencyKey);
  if (!parsed.ok)
    return errorReply("VALIDATION_ERROR", { requestId, details: [parsed.detail, ...keyProblems] });
  const validated = validateSendPayload(channel.type, parsed.value);
  const details = [...(validated.ok ? [] : validated.details), ...keyProblems];
  if (!validated.ok || details.length > 0)
    return errorReply("VALIDATION_ERROR", { requestId, details });

  const key = request.idempotencyKey;
  if (key !== null) {
    const fingerprint = await canonicalJsonHash(parsed.value);
    const claim = await deps.idempotency.claim(integration.id, key, {
      fingerprint,
      now,
      ttlMs: IDEMPOTENCY_TTL_MS,
    });
    switch (claim.state) {
      case "in_progress":
        return errorReply("IDEMPOTENCY_IN_PROGRESS", {
          requestId,
          headers: { "retry-after": "1" },
        });
      case "mismatch":
        return errorReply("IDEMPOTENCY_KEY_REUSED", { requestId });
      case "completed":
        return { ...claim.response, headers: { "idempotent-replayed": "true" } };
      case "claimed":
        break;
    }
  }

  try {
    const reply = await sendValidated(deps, {
      requestId,
      channel,
      integration,
      validated,
      idempotencyKey: key,
    });
    if (key !== null) {
      // Only a send the provider accepted is remembered: after a 402 or 502 nothing went out,
      // so the caller may try again with the same key.
      if (reply.status === 200) await deps.idempotency.complete(integration.id, key, reply);
      else await deps.idempotency.release(integration.id, key);
    }
    return reply;
  } catch (error) {
    if (key !== null) await deps.idempotency.release(integration.id, key).catch(() => undefined);
    throw error;
  }
}

async function sendValidated(
  deps: SendDeps,
  request: {
    requestId: string;
    channel: Channel;
    integration: CustomIntegration;
    validated: PayloadOk;
    idempotencyKey: string | null;
  },
): Promise<Reply> {
  const { requestId, channel, integration, validated } = request;
  const recipients = recipientsOf(validated);
  const segments =
    validated.channelType === "sms" ? countSmsSegments(validated.payload.body).segments : null;
  const cost = creditCost(channel.type, { recipients: recipients.length, segments: segments ?? 1 });

  if (channel.credits !== null) {
    const taken = await deps.channels.takeCredits(channel.id, cost);
    if (!taken.ok) {
      if (taken.code === "CHANNEL_NOT_FOUND") return errorReply("CHANNEL_NOT_FOUND", { requestId });
      return errorReply("NO_CREDITS", {
        requestId,
        message: `Channel has ${taken.balance} credits left; this message costs ${cost}`,
      });
    }
  }

  const messageId = deps.ids("message");
  const result = await dispatchSend(deps.providers, {
    channel,
    validated,
    timeoutMs: deps.providerTimeoutMs,
    options: {
      messageId,
      ...(request.idempotencyKey === null
        ? {}
        : { idempotencyKey: `${integration.id}:${request.idempotencyKey}` }),
      callbackUrl: `${deps.publicUrl}/hooks/${channel.provider}/${channel.id}`,
    },
  });
  deps.integrations.touchTokenUse(integration.id, new Date(deps.clock.now()));

  const message = newMessage(deps, {
    id: messageId,
    channel,
    integration,
    validated,
    recipients,
    segments,
    cost,
    result,
  });
  const webhooks = await deps.webhooks.forCompany(channel.companyId);
  const now = deps.clock.now();
  const event = messageEvent(result.ok ? "message.sent" : "message.failed", {
    message,
    channel,
    webhooks,
    ids: deps.ids,
    now,
  });
  await deps.messages.saveMessage(message, [event]);

  if (!result.ok) {
    if (channel.credits !== null) await deps.channels.refundCredits(channel.id, cost);
    deps.logger.warn("provider refused send", {
      requestId,
      messageId,
      provider: result.fault.name,
      code: result.fault.code,
    });
    return errorReply(result.code === "NO_FUNDS" ? "NO_CREDITS" : "PROVIDER_FAILURE", {
      requestId,
      ...(result.code === "NO_FUNDS"
        ? { message: "The provider account has no funds; nothing was sent" }
        : {}),
      provider: result.fault,
    });
  }
  return jsonReply(200, {
    id: message.id,
    status: "sent",
    channel: { id: channel.id, type: channel.type },
    provider: channel.provider,
    providerMessageId: result.providerMessageId,
    ...(segments === null ? {} : { segments }),
  });
}

function newMessage(
  deps: SendDeps,
  input: {
    id: string;
    channel: Channel;
    integration: CustomIntegration;
    validated: PayloadOk;
    recipients: string[];
    segments: number | null;
    cost: number;
    result: ProviderResult;
  },
): Message {
  const { channel, result } = input;
  const at = new Date(deps.clock.now());
  const status = result.ok ? "sent" : "failed";
  return {
    id: input.id,
    companyId: channel.companyId,
    channelId: channel.id,
    channelType: channel.type,
    direction: "outbound",
    integrationId: input.integration.id,
    status,
    provider: channel.provider,
    providerMessageId: result.ok ? result.providerMessageId : null,
    to: input.recipients,
    from: channel.address,
    payload: input.validated.payload as Record<string, unknown>,
    segments: input.segments,
    credits: result.ok ? input.cost : 0,
    error: result.ok ? null : { code: result.fault.code, message: result.fault.message },
    history: [result.ok ? { status, at } : { status, at, reason: result.fault.code }],
    createdAt: at,
    updatedAt: at,
  };
}

function recipientsOf(validated: PayloadOk): string[] {
  switch (validated.channelType) {
    case "email":
      return [...toArray(validated.payload.to), ...toArray(validated.payload.bcc)];
    case "sms":
      return [validated.payload.to];
    default:
      return [validated.payload.number];
  }
}

function toArray(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === "string" ? [value] : value;
}

function parseJson(
  raw: Uint8Array,
): { ok: true; value: unknown } | { ok: false; detail: ErrorDetail } {
  try {
    return { ok: true, value: JSON.parse(decoder.decode(raw)) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : "unreadable";
    return {
      ok: false,
      detail: { path: "", message: `Body must be valid UTF-8 JSON (${reason})` },
    };
  }
}

function idempotencyKeyProblems(key: string | null): ErrorDetail[] {
  if (key === null) return [];
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    return [
      {
        path: "/headers/idempotency-key",
        message: `Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`,
      },
    ];
  }
  return [];
}
