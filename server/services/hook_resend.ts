/**
 * `POST /hooks/resend/:channelId`: Resend's e-mail events, delivered by Svix and signed the
 * Standard Webhooks way with the channel's `webhookSecret` (README "Resend"). A timestamp
 * outside ±5 minutes is refused, so an old captured callback cannot be replayed; a repeat
 * inside the window changes nothing twice.
 *
 * @module
 */
import { configText } from "../../core/channel_config.ts";
import type { Channel, SuppressionReason } from "../../core/domain.ts";
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
} from "./provider_hooks.ts";
import { suppress } from "./suppression_service.ts";

/** The parts of the HTTP request the use case reads. */
export interface ResendHookRequest {
  requestId: string;
  channelId: string;
  /**
   * Svix's `svix-id`, `svix-timestamp`, `svix-signature` (what Resend sends), or the
   * `webhook-*` names of the same values (white-labelled Svix), the former first.
   */
  headers: { id: string | null; timestamp: string | null; signature: string | null };
  readBody: () => Promise<Uint8Array | "too_large">;
}

/**
 * Resend's event types that change a message (resend.com/docs/webhooks): an open is the
 * nearest e-mail has to "read"; a complaint (marked as spam) and a refusal to send to a
 * suppressed address fail it. `sent` and `clicked` are not status changes of ours.
 */
const STATUSES: Readonly<Record<string, ReportedStatus>> = {
  "email.delivered": "delivered",
  "email.opened": "read",
  "email.bounced": "failed",
  "email.failed": "failed",
  "email.complained": "failed",
  "email.suppressed": "failed",
};

/** The failure reason a complaint or a suppression leaves in the message's history. */
const FAILURE_REASONS: Readonly<Record<string, string>> = {
  "email.complained": "complained",
  "email.suppressed": "suppressed",
};

/** The event kept in history only: the receiving server deferred the e-mail; Resend retries. */
const DELAYED = "email.delivery_delayed";

/**
 * Verifies and applies one Resend event.
 *
 * @returns 200; 401 for a missing, wrong or stale signature (an unknown channel too)
 */
export async function handleResendHook(deps: HookDeps, request: ResendHookRequest): Promise<Reply> {
  const { requestId, headers } = request;
  const channel = await hookChannel(deps, "resend", request.channelId);
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
    return badSignature(
      requestId,
      "Signature headers are missing (svix-id, svix-timestamp, svix-signature, or their webhook-* names)",
    );
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
        ? "The signature timestamp is more than 5 minutes away from now"
        : "The signature does not match",
    );
  }
  await apply(deps, channel, parseJson(body), headers.id);
  return jsonReply(200, { received: true });
}

/** `eventId` (`webhook-id`) is the same on every retry of one event: it names the report. */
async function apply(
  deps: HookDeps,
  channel: Channel,
  event: unknown,
  eventId: string,
): Promise<void> {
  if (!isObject(event) || typeof event.type !== "string" || !isObject(event.data)) return;
  const { type, data } = event;
  const emailId = typeof data.email_id === "string" ? data.email_id : null;
  if (emailId === null) return;
  if (type === "email.received") {
    await receive(deps, channel, emailId, data);
    return;
  }
  if (type === DELAYED) {
    await noteDelay(deps, channel, emailId);
    return;
  }
  const status = STATUSES[type];
  if (status === undefined) return;
  const reason =
    status === "failed" ? (FAILURE_REASONS[type] ?? failureReason(type, data)) : undefined;
  const errorMessage = status === "failed" ? failureMessage(data) : undefined;
  const outcome = await reportProviderStatus(deps, channel, {
    providerMessageId: emailId,
    status,
    key: eventId,
    ...(reason === undefined ? {} : { reason }),
    ...(errorMessage === undefined ? {} : { errorMessage }),
  });
  deps.logger.debug("resend event", { channelId: channel.id, type, emailId, outcome });
  const suppression = suppressionOf(type, data);
  if (suppression !== null)
    await suppressRecipients(deps, channel, { emailId, data, reason: suppression });
}

/**
 * Why an event puts its recipients on the suppression list: a complaint; Resend's own
 * suppression (it refused to send to an address that bounced before); a permanent bounce.
 */
function suppressionOf(type: string, data: Record<string, unknown>): SuppressionReason | null {
  if (type === "email.complained") return "complaint";
  if (type === "email.suppressed") return "bounce";
  if (type === "email.bounced" && isObject(data.bounce) && data.bounce.type === "Permanent") {
    return "bounce";
  }
  return null;
}

/**
 * The event's recipients (its `to`, else the message's) join the company's e-mail list. Only
 * for an e-mail this channel sent: Resend posts a team's events to every endpoint, and another
 * company's complaint must not change this company's list.
 */
async function suppressRecipients(
  deps: HookDeps,
  channel: Channel,
  event: { emailId: string; data: Record<string, unknown>; reason: SuppressionReason },
): Promise<void> {
  const message = await deps.messages.findMessageByProviderId(channel.id, event.emailId);
  if (message === null || message.direction !== "outbound") return;
  const listed = Array.isArray(event.data.to)
    ? event.data.to.filter((v) => typeof v === "string")
    : [];
  for (const address of listed.length > 0 ? listed : message.to) {
    await suppress(deps, {
      companyId: channel.companyId,
      channelType: "email",
      address,
      reason: event.reason,
      messageId: message.id,
      cause: channel,
    });
  }
}

/** `email.delivery_delayed`: kept in the message's history; the status stays `sent`. */
async function noteDelay(deps: HookDeps, channel: Channel, emailId: string): Promise<void> {
  const message = await deps.messages.findMessageByProviderId(channel.id, emailId);
  if (message === null || message.direction !== "outbound") return;
  const at = new Date(deps.clock.now());
  const noted = await deps.messages.noteMessageHistory(message.id, {
    at,
    reason: "delivery_delayed",
  });
  deps.logger.debug("resend delivery delayed", { channelId: channel.id, emailId, noted });
}

/** Where an inbound e-mail names its recipients: the channel may be in any of them. */
const RECIPIENT_FIELDS = ["to", "cc", "bcc", "received_for"] as const;

/**
 * An inbound e-mail to this channel's address, named in `to`, `cc`, `bcc` or `received_for`
 * (the address the receiving server accepted it for, e.g. a Bcc or a forward). Resend's event
 * carries the metadata only (the body is behind its Received Emails API), so the message
 * holds the sender and subject.
 */
async function receive(
  deps: HookDeps,
  channel: Channel,
  emailId: string,
  data: Record<string, unknown>,
): Promise<void> {
  const own = channel.address.toLowerCase();
  const mine = RECIPIENT_FIELDS.some((field) => {
    const list = data[field];
    return Array.isArray(list) && list.some((v) => typeof v === "string" && bareAddress(v) === own);
  });
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

/** Resend's words about a bounce or failure, when it gave some. */
function failureMessage(data: Record<string, unknown>): string | undefined {
  const detail = isObject(data.bounce) ? data.bounce : isObject(data.failed) ? data.failed : null;
  const message = detail?.message;
  return typeof message === "string" && message !== "" ? message : undefined;
}

/** `"Ana <ana@x.com>"` → `"ana@x.com"`. */
function bareAddress(value: string): string {
  const angle = /<([^<>]+)>\s*$/.exec(value);
  return (angle?.[1] ?? value).trim().toLowerCase();
}
