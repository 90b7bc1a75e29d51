/**
 * The checks of a send before anything is sent, in the contract's order (docs/api.md#check-order):
 * 401/404 (token), 429 (rate), 415 (content type), 413 (size), 400 (JSON, payload, key).
 *
 * @module
 */
import type { Channel, CustomIntegration, ErrorDetail } from "../../core/domain.ts";
import { DEFAULT_RATE_LIMIT } from "../../core/domain.ts";
import type { PayloadOk } from "../../core/payloads/validate.ts";
import { validateSendPayload } from "../../core/payloads/validate.ts";
import { resolveToken } from "../../core/resolve_token.ts";
import { checkSendAt } from "../../core/send_schedule.ts";
import { isJsonContentType, MAX_SEND_BODY_BYTES } from "../http/read_body.ts";
import { errorReply, type Reply } from "../http/reply.ts";
import { retryAfterHeader } from "../http/retry_after.ts";
import { sha256Hex } from "./hash.ts";
import { payloadUrlProblems } from "./payload_urls.ts";
import type { SendDeps, SendRequest } from "./send_service.ts";

/** docs/api.md#idempotency: `Idempotency-Key` is at most 255 characters. */
const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

const decoder = new TextDecoder("utf-8", { fatal: true });

/** A request that passed every check: who sends, through which channel, what. */
export interface AdmittedSend {
  channel: Channel;
  integration: CustomIntegration;
  validated: PayloadOk;
  /** The parsed body as sent (the idempotency fingerprint is taken over it). */
  body: unknown;
  /** The payload's `sendAt` (ms since the epoch, never before now), or null. */
  sendAt: number | null;
}

/**
 * Runs the checks up to validation; the first failing check answers.
 *
 * @returns the admitted send, or the error reply
 */
export async function admitSend(
  deps: SendDeps,
  request: SendRequest,
  now: number,
): Promise<{ ok: true; send: AdmittedSend } | { ok: false; reply: Reply }> {
  const { requestId } = request;
  const refuse = (reply: Reply) => ({ ok: false as const, reply });
  const resolved = await resolveToken(request.authorization, {
    store: deps.tokens,
    now,
    hash: sha256Hex,
  });
  if (!resolved.ok) {
    deps.logger.info("send refused", { requestId, code: resolved.code, reason: resolved.reason });
    return refuse(errorReply(resolved.code, { requestId }));
  }
  const { channel, integration } = resolved;
  const limit = integration.rateLimit ?? DEFAULT_RATE_LIMIT;
  const rate = await deps.limiter.take(integration.id, limit, now);
  if (!rate.ok) {
    const headers = { "retry-after": retryAfterHeader(rate.retryAfterMs) };
    return refuse(errorReply("RATE_LIMITED", { requestId, headers }));
  }
  if (!isJsonContentType(request.contentType)) {
    return refuse(errorReply("UNSUPPORTED_MEDIA_TYPE", { requestId }));
  }
  const raw = await request.readBody();
  if (raw === "too_large") {
    const message = `Request body must be at most ${MAX_SEND_BODY_BYTES} bytes`;
    return refuse(errorReply("PAYLOAD_TOO_LARGE", { requestId, message }));
  }
  const parsed = parseJson(raw);
  const keyProblems = idempotencyKeyProblems(request.idempotencyKey);
  if (!parsed.ok) {
    const details = [parsed.detail, ...keyProblems];
    return refuse(errorReply("VALIDATION_ERROR", { requestId, details }));
  }
  const { payload, sendAt } = splitSendAt(parsed.value, now);
  const validated = validateSendPayload(channel.type, payload, { provider: channel.provider });
  const details = [
    ...(validated.ok ? [] : validated.details),
    ...(sendAt.ok ? [] : [sendAt.detail]),
    ...keyProblems,
  ];
  if (!validated.ok || !sendAt.ok || details.length > 0) {
    return refuse(errorReply("VALIDATION_ERROR", { requestId, details }));
  }
  const unsafe = await payloadUrlProblems(validated, deps.checkUrl);
  if (unsafe.length > 0) {
    return refuse(errorReply("VALIDATION_ERROR", { requestId, details: unsafe }));
  }
  const send = { channel, integration, validated, body: parsed.value, sendAt: sendAt.at };
  return { ok: true, send };
}

/**
 * `sendAt` is a field of every payload (README "Throughput, retries, async and scheduled
 * sends"): read here, and the rest validated as the channel type's payload.
 */
function splitSendAt(
  body: unknown,
  now: number,
): {
  payload: unknown;
  sendAt: { ok: true; at: number | null } | { ok: false; detail: ErrorDetail };
} {
  if (typeof body !== "object" || body === null || Array.isArray(body) || !("sendAt" in body)) {
    return { payload: body, sendAt: { ok: true, at: null } };
  }
  const { sendAt, ...payload } = body as Record<string, unknown>;
  return { payload, sendAt: checkSendAt(sendAt, now) };
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
