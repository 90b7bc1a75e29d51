/**
 * `POST /hooks/twilio/:channelId`: Twilio's status callbacks and inbound SMS/WhatsApp
 * (form-encoded), checked with the SDK's own `validateRequest` against the public URL before
 * anything is read into state (docs/providers.md). Twilio gets empty TwiML back.
 *
 * @module
 */
import twilio from "twilio";
import { configText } from "../../core/channel_config.ts";
import type { Channel } from "../../core/domain.ts";
import type { Reply } from "../http/reply.ts";
import {
  badSignature,
  bodyText,
  type HookDeps,
  hookChannel,
  type ReportedStatus,
  receiveProviderMessage,
  reportProviderStatus,
  tooLarge,
} from "./provider_hooks.ts";
import { suppressReportedOptOut } from "./provider_opt_outs.ts";

/** The parts of the HTTP request the use case reads. */
export interface TwilioHookRequest {
  requestId: string;
  channelId: string;
  /** The query string of the URL called (`""` or `"?…"`): Twilio signs the full URL. */
  search: string;
  /** The `X-Twilio-Signature` header. */
  signature: string | null;
  readBody: () => Promise<Uint8Array | "too_large">;
}

/** Twilio's `MessageStatus` values that are news to us; the others (queued, sent…) are not. */
const STATUSES: Readonly<Record<string, ReportedStatus>> = {
  delivered: "delivered",
  read: "read",
  failed: "failed",
  undelivered: "failed",
  canceled: "failed",
};

/** An empty TwiML document: "received, nothing to reply". */
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/**
 * Verifies and applies one Twilio callback.
 *
 * @returns 200 TwiML; 401 for a missing or wrong signature (an unknown channel too)
 */
export async function handleTwilioHook(deps: HookDeps, request: TwilioHookRequest): Promise<Reply> {
  const { requestId } = request;
  const channel = await hookChannel(deps, "twilio", request.channelId);
  const raw = await request.readBody();
  if (raw === "too_large") return tooLarge(requestId);
  const text = bodyText(raw);
  const params = text === null ? null : formParams(text);
  const url = `${deps.publicUrl}/hooks/twilio/${channel.id}${request.search}`;
  const authToken = configText(channel.config, "authToken") ?? "";
  if (
    params === null ||
    request.signature === null ||
    authToken === "" ||
    !twilio.validateRequest(authToken, request.signature, url, params)
  ) {
    return badSignature(requestId, "X-Twilio-Signature is missing or does not match");
  }
  await apply(deps, channel, params);
  return { status: 200, body: EMPTY_TWIML, headers: { "content-type": "text/xml; charset=utf-8" } };
}

async function apply(
  deps: HookDeps,
  channel: Channel,
  params: Record<string, string | string[]>,
): Promise<void> {
  const sid = one(params.MessageSid) ?? one(params.SmsSid);
  if (sid === undefined) return;
  const messageStatus = one(params.MessageStatus);
  if (messageStatus !== undefined && messageStatus !== "received") {
    const status = STATUSES[messageStatus];
    if (status === undefined) return;
    const reason = status === "failed" ? (one(params.ErrorCode) ?? messageStatus) : undefined;
    const outcome = await reportProviderStatus(deps, channel, {
      providerMessageId: sid,
      status,
      // Twilio's callbacks carry no event id: its status names the report.
      key: messageStatus,
      ...(reason === undefined
        ? {}
        : { reason, errorMessage: `Twilio reported the message ${messageStatus}` }),
    });
    deps.logger.debug("twilio status callback", { channelId: channel.id, sid, outcome });
    if (reason !== undefined) {
      await suppressReportedOptOut(deps, channel, { providerMessageId: sid, code: reason });
    }
    return;
  }
  const from = one(params.From);
  if (from === undefined) return;
  const media: string[] = [];
  const count = Math.min(Number(one(params.NumMedia) ?? 0) || 0, 10);
  for (let index = 0; index < count; index++) {
    const url = one(params[`MediaUrl${index}`]);
    if (url !== undefined) media.push(url);
  }
  const body = one(params.Body);
  const mediaKey = channel.type === "whatsapp" ? "files" : "mediaUrls";
  const outcome = await receiveProviderMessage(
    deps,
    channel,
    {
      // The sender in the form a reply takes: WhatsApp numbers without "+", SMS with it.
      from: channel.type === "whatsapp" ? from.replace(/^whatsapp:\+?/, "") : from,
      payload: {
        ...(body === undefined || body === "" ? {} : { text: body }),
        ...(media.length === 0 ? {} : { [mediaKey]: media }),
      },
      providerMessageId: sid,
    },
    optOutHints(params),
  );
  deps.logger.debug("twilio inbound message", { channelId: channel.id, sid, outcome });
}

/** Twilio's Advanced Opt-Out says what a reply meant in `OptOutType` (STOP, START, HELP). */
function optOutHints(params: Record<string, string | string[]>): { optOutType?: string } {
  const optOutType = one(params.OptOutType);
  return optOutType === undefined ? {} : { optOutType };
}

/** Form fields; a repeated field becomes an array (as the SDK's validator expects). */
function formParams(text: string): Record<string, string | string[]> {
  // No prototype: a field named "__proto__" stays a field (and so fails the signature).
  const params: Record<string, string | string[]> = Object.create(null);
  for (const [key, value] of new URLSearchParams(text)) {
    const current = params[key];
    if (current === undefined) params[key] = value;
    else params[key] = Array.isArray(current) ? [...current, value] : [current, value];
  }
  return params;
}

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
