/**
 * `/hooks/meta/:channelId`: Meta's webhook verification handshake (`GET`) and its signed
 * `POST`s (`X-Hub-Signature-256`, HMAC-SHA256 of the body with the app secret), with message
 * statuses and inbound WhatsApp messages (README "Meta WhatsApp Cloud API").
 *
 * @module
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { configText } from "../../core/channel_config.ts";
import type { Channel } from "../../core/domain.ts";
import { errorReply, jsonReply, type Reply } from "../http/reply.ts";
import {
  badSignature,
  type HookDeps,
  hookChannel,
  isObject,
  parseJson,
  type ReportedStatus,
  receiveProviderMessage,
  reportProviderStatus,
  tooLarge,
} from "./provider_hooks.ts";
import { suppressReportedOptOut } from "./provider_opt_outs.ts";

/** Meta's status values that change a message; `sent` is where our message already is. */
const STATUSES: Readonly<Record<string, ReportedStatus>> = {
  delivered: "delivered",
  read: "read",
  failed: "failed",
};

/**
 * The `GET` handshake: answers `hub.challenge` when `hub.mode` is `subscribe` and
 * `hub.verify_token` equals the channel's `verifyToken`.
 *
 * @returns 200 with the challenge as plain text; 403 otherwise (an unknown channel too)
 */
export async function handleMetaVerify(
  deps: HookDeps,
  request: { requestId: string; channelId: string; query: URLSearchParams },
): Promise<Reply> {
  const { requestId, query } = request;
  const channel = await hookChannel(deps, "meta", request.channelId);
  const expected = configText(channel.config, "verifyToken") ?? "";
  const given = query.get("hub.verify_token") ?? "";
  const challenge = query.get("hub.challenge");
  if (
    query.get("hub.mode") !== "subscribe" ||
    challenge === null ||
    expected === "" ||
    !sameText(given, expected)
  ) {
    // Meta's documented answer to a wrong verify token is 403 (docs/providers.md#meta).
    return {
      ...errorReply("ERR_NO_PERMISSION", {
        requestId,
        message: "hub.verify_token does not match the channel's verifyToken",
      }),
      status: 403,
    };
  }
  return { status: 200, body: challenge, headers: { "content-type": "text/plain; charset=utf-8" } };
}

/**
 * A signed `POST`: verified over the raw bytes, then every change for this channel's phone
 * number applied. Changes for other phone numbers of the same Meta app are left alone.
 *
 * @returns 200; 401 for a missing or wrong signature (an unknown channel too)
 */
export async function handleMetaEvent(
  deps: HookDeps,
  request: {
    requestId: string;
    channelId: string;
    signature: string | null;
    readBody: () => Promise<Uint8Array | "too_large">;
  },
): Promise<Reply> {
  const { requestId } = request;
  const channel = await hookChannel(deps, "meta", request.channelId);
  const raw = await request.readBody();
  if (raw === "too_large") return tooLarge(requestId);
  const appSecret = configText(channel.config, "appSecret") ?? "";
  if (appSecret === "") {
    return badSignature(requestId, 'The channel has no "appSecret" to check Meta events with');
  }
  if (request.signature === null || !signatureMatches(raw, request.signature, appSecret)) {
    return badSignature(requestId, "X-Hub-Signature-256 is missing or does not match");
  }
  const event = parseJson(new TextDecoder().decode(raw));
  for (const value of changeValues(event, channel)) {
    await applyStatuses(deps, channel, value.statuses);
    await applyMessages(deps, channel, value.messages);
  }
  return jsonReply(200, { received: true });
}

/**
 * `sha256=<hex>` against HMAC-SHA256(app secret, body), compared in constant time. Meta signs
 * the payload with its non-ASCII characters escaped (`\u00e1`) while it sends them as UTF-8,
 * so a body holding any is also checked in that escaped form.
 */
function signatureMatches(raw: Uint8Array, header: string, appSecret: string): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (match === null) return false;
  const given = Buffer.from(match[1]!.toLowerCase(), "hex");
  const over = (bytes: Uint8Array | string) =>
    timingSafeEqual(given, createHmac("sha256", appSecret).update(bytes).digest());
  if (over(raw)) return true;
  if (raw.every((byte) => byte < 0x80)) return false;
  const text = new TextDecoder().decode(raw);
  return over(escapeNonAscii(text));
}

/** Every UTF-16 unit above U+007F as `\uXXXX` in lower-case hex (an emoji as its two halves). */
function escapeNonAscii(text: string): string {
  return text.replace(
    /[^\u0000-\u007f]/g,
    (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The `value` of every `messages` change addressed to this channel's phone number id. */
function changeValues(event: unknown, channel: Channel): Record<string, unknown>[] {
  if (!isObject(event) || !Array.isArray(event.entry)) return [];
  const values: Record<string, unknown>[] = [];
  for (const entry of event.entry) {
    if (!isObject(entry) || !Array.isArray(entry.changes)) continue;
    for (const change of entry.changes) {
      if (!isObject(change) || change.field !== "messages" || !isObject(change.value)) continue;
      const metadata = change.value.metadata;
      if (
        isObject(metadata) &&
        metadata.phone_number_id === configText(channel.config, "phoneNumberId")
      ) {
        values.push(change.value);
      }
    }
  }
  return values;
}

async function applyStatuses(deps: HookDeps, channel: Channel, statuses: unknown): Promise<void> {
  if (!Array.isArray(statuses)) return;
  for (const item of statuses) {
    if (!isObject(item) || typeof item.id !== "string" || typeof item.status !== "string") continue;
    const status = STATUSES[item.status];
    if (status === undefined) continue;
    const firstError =
      Array.isArray(item.errors) && isObject(item.errors[0]) ? item.errors[0] : null;
    const reason =
      status !== "failed"
        ? undefined
        : firstError !== null && firstError.code !== undefined
          ? String(firstError.code)
          : "failed";
    const errorMessage =
      firstError !== null && typeof firstError.title === "string" ? firstError.title : undefined;
    // A status notification's timestamp tells a retry of it from a new one.
    const key = `${item.status}:${typeof item.timestamp === "string" ? item.timestamp : ""}`;
    const outcome = await reportProviderStatus(deps, channel, {
      providerMessageId: item.id,
      status,
      key,
      ...(reason === undefined ? {} : { reason }),
      ...(errorMessage === undefined ? {} : { errorMessage }),
    });
    deps.logger.debug("meta status", { channelId: channel.id, id: item.id, outcome });
    // 131050: the user stopped marketing messages from this business.
    if (reason !== undefined) {
      await suppressReportedOptOut(deps, channel, { providerMessageId: item.id, code: reason });
    }
  }
}

/** Inbound messages: the text (or a media caption) is kept; media ids need Graph API calls. */
async function applyMessages(deps: HookDeps, channel: Channel, messages: unknown): Promise<void> {
  if (!Array.isArray(messages)) return;
  for (const item of messages) {
    if (!isObject(item) || typeof item.id !== "string" || typeof item.from !== "string") continue;
    const text = messageText(item);
    const outcome = await receiveProviderMessage(
      deps,
      channel,
      {
        from: item.from.replace(/^\+/, ""),
        payload: text === null ? {} : { text },
        providerMessageId: item.id,
      },
      sentAtOf(item),
    );
    deps.logger.debug("meta inbound message", { channelId: channel.id, id: item.id, outcome });
  }
}

/** Meta's `timestamp` (Unix seconds, as text) of an inbound message: when the contact wrote. */
function sentAtOf(item: Record<string, unknown>): { sentAt?: Date } {
  const seconds = Number(item.timestamp);
  return Number.isSafeInteger(seconds) && seconds > 0 ? { sentAt: new Date(seconds * 1000) } : {};
}

function messageText(item: Record<string, unknown>): string | null {
  if (typeof item.type !== "string") return null;
  const content = item[item.type];
  if (!isObject(content)) return null;
  if (item.type === "text" && typeof content.body === "string") return content.body;
  return typeof content.caption === "string" ? content.caption : null;
}
