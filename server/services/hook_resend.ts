/**
 * `POST /hooks/resend/:channelId`: Resend's e-mail events, signed with Standard Webhooks and the
 * channel's `webhookSecret` (SPEC.md §9). A timestamp outside ±5 minutes is refused, so an old
 * captured callback cannot be replayed; a repeat inside the window changes nothing twice.
 *
 * @module
 */
import { configText } from "../../core/channel_config.ts";
import type { Channel } from "../../core/domain.ts";
import { verifyWebhook } from "../../core/signatures.ts";
import { jsonReply, type Reply } from "../http/reply.ts";
import {
  badSignature,
  bodyText,
  type HookDeps,
  hookChannel,
  isObject,
  parseJson,
  type ReportedStatus,
  receiveProviderMessage,
  reportProviderStatus,
  tooLarge,
  unknownChannel,
} from "./provider_hooks.ts";

/** The parts of the HTTP request the use case reads. */
export interface ResendHookRequest {
  requestId: string;
  channelId: string;
  headers: { id: string | null; timestamp: string | null; signature: string | null };
  readBody: () => Promise<Uint8Array | "too_large">;
}

/**
 * Resend's event types that change a message (resend.com/docs/webhooks): an open is the
 * nearest e-mail has to "read"; `sent`, `delivery_delayed`, `clicked` and `complained` are not
 * status changes of ours.
 */
const STATUSES: Readonly<Record<string, ReportedStatus>> = {
  "email.delivered": "delivered",
  "email.opened": "read",
  "email.bounced": "failed",
  "email.failed": "failed",
};

/**
 * Verifies and applies one Resend event.
 *
 * @returns 200; 401 for a missing, wrong or stale signature; 404 for an unknown channel
 */
export async function handleResendHook(deps: HookDeps, request: ResendHookRequest): Promise<Reply> {
  const { requestId, headers } = request;
  const channel = await hookChannel(deps, "resend", request.channelId);
  if (channel === null) return unknownChannel(requestId, "resend", request.channelId);
  const raw = await request.readBody();
  if (raw === "too_large") return tooLarge(requestId);
  const body = bodyText(raw);
  const secret = configText(channel.config, "webhookSecret");
  if (secret === undefined || secret === "") {
    return badSignature(
      requestId,
      'The channel has no "webhookSecret" to check Resend events with',
    );
  }
  if (
    body === null ||
    headers.id === null ||
    headers.timestamp === null ||
    headers.signature === null
  ) {
    return badSignature(requestId, "Standard Webhooks headers are missing");
  }
  const verified = await verifyWebhook(
    { id: headers.id, timestamp: Number(headers.timestamp), body },
    headers.signature,
    { secret, now: deps.clock.now() },
  );
  if (!verified.ok) {
    return badSignature(
      requestId,
      verified.code === "TIMESTAMP_OUT_OF_TOLERANCE"
        ? "webhook-timestamp is more than 5 minutes away from now"
        : "webhook-signature does not match",
    );
  }
  await apply(deps, channel, parseJson(body));
  return jsonReply(200, { received: true });
}

async function apply(deps: HookDeps, channel: Channel, event: unknown): Promise<void> {
  if (!isObject(event) || typeof event.type !== "string" || !isObject(event.data)) return;
  const { type, data } = event;
  const emailId = typeof data.email_id === "string" ? data.email_id : null;
  if (emailId === null) return;
  if (type === "email.received") {
    await receive(deps, channel, emailId, data);
    return;
  }
  const status = STATUSES[type];
  if (status === undefined) return;
  const reason = status === "failed" ? failureReason(type, data) : undefined;
  const outcome = await reportProviderStatus(deps, channel, {
    providerMessageId: emailId,
    status,
    ...(reason === undefined ? {} : { reason }),
  });
  deps.logger.debug("resend event", { channelId: channel.id, type, emailId, outcome });
}

/**
 * An inbound e-mail to this channel's address. Resend's event carries the metadata only (the
 * body is behind its Received Emails API), so the message holds the sender and subject.
 */
async function receive(
  deps: HookDeps,
  channel: Channel,
  emailId: string,
  data: Record<string, unknown>,
): Promise<void> {
  const to = Array.isArray(data.to) ? data.to.filter((v) => typeof v === "string") : [];
  const mine = to.some((address) => bareAddress(address) === channel.address.toLowerCase());
  if (!mine || typeof data.from !== "string") return;
  const outcome = await receiveProviderMessage(deps, channel, {
    from: bareAddress(data.from),
    payload: typeof data.subject === "string" ? { subject: data.subject } : {},
    providerMessageId: emailId,
  });
  deps.logger.debug("resend inbound e-mail", { channelId: channel.id, emailId, outcome });
}

function failureReason(type: string, data: Record<string, unknown>): string {
  const detail = isObject(data.bounce) ? data.bounce : isObject(data.failed) ? data.failed : null;
  const why = detail === null ? undefined : (detail.type ?? detail.reason);
  return typeof why === "string" && why !== "" ? `${type.slice(6)}: ${why}` : type.slice(6);
}

/** `"Ana <ana@x.com>"` → `"ana@x.com"`. */
function bareAddress(value: string): string {
  const angle = /<([^<>]+)>\s*$/.exec(value);
  return (angle?.[1] ?? value).trim().toLowerCase();
}
