/**
 * The public face of a message, as webhooks and the admin API show it. Built from an explicit
 * allow-list, so a channel's `config` (its provider secrets) can never reach a receiver.
 *
 * @module
 */
import { type Static, Type } from "@sinclair/typebox";
import { IsoDate } from "./_iso_date.ts";
import { CHANNEL_TYPES, type Message, type MessageStatus, type ProviderName } from "./domain.ts";
import { WhatsAppTemplate } from "./payloads/whatsapp_template.ts";

// Written as records so the compiler rejects a list that misses a member of the domain type.
const MESSAGE_STATUSES = Object.keys({
  queued: true,
  sent: true,
  delivered: true,
  read: true,
  failed: true,
  received: true,
} satisfies Record<MessageStatus, true>) as MessageStatus[];
const PROVIDERS = Object.keys({
  sandbox: true,
  resend: true,
  twilio: true,
  meta: true,
  smtp: true,
} satisfies Record<ProviderName, true>) as ProviderName[];

// `Date.prototype.toISOString()` output. A pattern rather than `format: "date-time"`, which
const Strings = Type.Array(Type.String());

/** An e-mail attachment as messages show it: what it was, never its bytes. */
const PublicAttachment = Type.Object(
  {
    filename: Type.String(),
    contentType: Type.Optional(Type.String()),
    contentId: Type.Optional(Type.String()),
    url: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/**
 * The payload fields a message shows, by channel type: WhatsApp `message` or `template`, `name`, `email`,
 * `url` (with its `utm_*` query parameters as `utm`), `files`, `sector`; Email `subject`,
 * `body`, `html`, `text`, `cc`, `bcc`, `replyTo`, `fromName`, `inReplyTo`, `references`,
 * `headers`, `tags` and `attachments` (name, type, content id and URL; never the file's
 * content); SMS `body`, `mediaUrls`, `metadata`. Inbound messages may carry `text`.
 *
 * @example
 * ```ts
 * const payload: PublicPayload = { message: "Hi", sector: "12", url: "https://x.test/?utm_source=meta", utm: { utm_source: "meta" } };
 * ```
 */
export const PublicPayload = Type.Object(
  {
    text: Type.Optional(Type.String()),
    message: Type.Optional(Type.String()),
    template: Type.Optional(WhatsAppTemplate),
    name: Type.Optional(Type.String()),
    email: Type.Optional(Type.String()),
    url: Type.Optional(Type.String()),
    utm: Type.Optional(Type.Record(Type.String(), Type.String())),
    files: Type.Optional(Strings),
    sector: Type.Optional(Type.String()),
    subject: Type.Optional(Type.String()),
    body: Type.Optional(Type.String()),
    html: Type.Optional(Type.String()),
    cc: Type.Optional(Strings),
    bcc: Type.Optional(Strings),
    replyTo: Type.Optional(Strings),
    fromName: Type.Optional(Type.String()),
    inReplyTo: Type.Optional(Type.String()),
    references: Type.Optional(Strings),
    headers: Type.Optional(Type.Record(Type.String(), Type.String())),
    tags: Type.Optional(
      Type.Array(
        Type.Object({ name: Type.String(), value: Type.String() }, { additionalProperties: false }),
      ),
    ),
    attachments: Type.Optional(Type.Array(PublicAttachment)),
    mediaUrls: Type.Optional(Strings),
    metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);
export type PublicPayload = Static<typeof PublicPayload>;

/**
 * A message as receivers and the admin API see it: no company internals, no channel config.
 *
 * @example
 * ```ts
 * import type { Message } from "./domain.ts";
 *
 * declare const message: Message;
 * const shown: PublicMessage = publicMessage(message);
 * ```
 */
export const PublicMessage = Type.Object(
  {
    id: Type.String(),
    direction: Type.Union([Type.Literal("outbound"), Type.Literal("inbound")]),
    status: Type.Union(MESSAGE_STATUSES.map((status) => Type.Literal(status))),
    channel: Type.Object(
      { id: Type.String(), type: Type.Union(CHANNEL_TYPES.map((type) => Type.Literal(type))) },
      { additionalProperties: false },
    ),
    provider: Type.Union(PROVIDERS.map((provider) => Type.Literal(provider))),
    providerMessageId: Type.Union([Type.String(), Type.Null()]),
    to: Strings,
    from: Type.String(),
    payload: PublicPayload,
    segments: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
    // `provider` names who reported the failure, at send time or later in a callback.
    error: Type.Union([
      Type.Object(
        { code: Type.String(), message: Type.String(), provider: Type.String() },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    history: Type.Array(
      Type.Object(
        {
          status: Type.Union(MESSAGE_STATUSES.map((status) => Type.Literal(status))),
          at: IsoDate,
          reason: Type.Optional(Type.String()),
          // A report kept without changing the message (late, backwards, after a failure).
          applied: Type.Optional(Type.Literal(false)),
        },
        { additionalProperties: false },
      ),
    ),
    createdAt: IsoDate,
    updatedAt: IsoDate,
  },
  { additionalProperties: false },
);
export type PublicMessage = Static<typeof PublicMessage>;

function copyString(from: Record<string, unknown>, to: PublicPayload, key: StringKey): void {
  const value = from[key];
  if (typeof value === "string") to[key] = value;
}

// A single string becomes a one-element list, so receivers see one shape.
function copyStrings(from: Record<string, unknown>, to: PublicPayload, key: ListKey): void {
  const value = from[key];
  if (typeof value === "string") to[key] = [value];
  else if (Array.isArray(value) && value.every((item) => typeof item === "string")) {
    to[key] = [...value];
  }
}

type StringKey =
  | "text"
  | "message"
  | "name"
  | "email"
  | "url"
  | "sector"
  | "subject"
  | "body"
  | "html"
  | "fromName"
  | "inReplyTo";
type ListKey = "files" | "cc" | "bcc" | "replyTo" | "references" | "mediaUrls";

function utmParams(url: string): Record<string, string> {
  const utm: Record<string, string> = {};
  if (!URL.canParse(url)) return utm;
  for (const [key, value] of new URL(url).searchParams) {
    if (key.startsWith("utm_") && !(key in utm)) utm[key] = value;
  }
  return utm;
}

function publicPayload(message: Message): PublicPayload {
  const from = message.payload;
  const out: PublicPayload = {};
  copyString(from, out, "text");
  switch (message.channelType) {
    case "whatsapp":
      for (const key of ["message", "name", "email", "url", "sector"] as const) {
        copyString(from, out, key);
      }
      // docs/api.md#sending: the `utm_*` query parameters of `url` are kept on the message.
      if (out.url !== undefined) out.utm = utmParams(out.url);
      copyStrings(from, out, "files");
      // A JSON copy, so receivers get plain data (validated at send time).
      if (isPlainObject(from.template)) out.template = JSON.parse(JSON.stringify(from.template));
      break;
    case "email":
      for (const key of ["subject", "body", "html", "fromName", "inReplyTo"] as const) {
        copyString(from, out, key);
      }
      for (const key of ["cc", "bcc", "replyTo", "references"] as const) {
        copyStrings(from, out, key);
      }
      copyEmailExtras(from, out);
      break;
    case "sms":
      copyString(from, out, "body");
      copyStrings(from, out, "mediaUrls");
      // docs/api.md#sending: `metadata` is echoed in events. A JSON copy, so receivers get plain data.
      if (isPlainObject(from.metadata)) out.metadata = JSON.parse(JSON.stringify(from.metadata));
      break;
  }
  return out;
}

/** Headers and tags as plain text; attachments by their description, without their bytes. */
function copyEmailExtras(from: Record<string, unknown>, out: PublicPayload): void {
  const { headers, tags, attachments } = from;
  if (isPlainObject(headers)) {
    out.headers = {};
    for (const [name, value] of Object.entries(headers)) {
      if (typeof value === "string") out.headers[name] = value;
    }
  }
  if (Array.isArray(tags)) {
    out.tags = tags
      .filter(isPlainObject)
      .filter((tag) => typeof tag.name === "string" && typeof tag.value === "string")
      .map((tag) => ({ name: String(tag.name), value: String(tag.value) }));
  }
  if (Array.isArray(attachments)) {
    const named = attachments.filter(isPlainObject).filter((a) => typeof a.filename === "string");
    out.attachments = named.map((attachment) => {
      const shown: Static<typeof PublicAttachment> = { filename: String(attachment.filename) };
      for (const key of ["contentType", "contentId", "url"] as const) {
        const value = attachment[key];
        if (typeof value === "string") shown[key] = value;
      }
      return shown;
    });
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The public face of a message (admin API and event `data.message`): id, direction, status,
 * channel id and type, provider and its message id, recipients, sender, the payload fields of
 * {@link PublicPayload}, segments, error, status history and times as ISO-8601 strings.
 * Company, integration and credit bookkeeping and any field outside the allow-list stay out.
 *
 * @param message The stored message.
 * @returns A JSON-ready object that satisfies the {@link PublicMessage} schema.
 *
 * @example
 * ```ts
 * import type { Message } from "./domain.ts";
 *
 * declare const message: Message; // created at 2025-06-01T12:00:00Z
 * publicMessage(message).createdAt; // "2025-06-01T12:00:00.000Z"
 * ```
 */
export function publicMessage(message: Message): PublicMessage {
  return {
    id: message.id,
    direction: message.direction,
    status: message.status,
    channel: { id: message.channelId, type: message.channelType },
    provider: message.provider,
    providerMessageId: message.providerMessageId,
    to: [...message.to],
    from: message.from,
    payload: publicPayload(message),
    segments: message.segments,
    error:
      message.error === null
        ? null
        : { code: message.error.code, message: message.error.message, provider: message.provider },
    history: message.history.map((change) => ({
      status: change.status,
      at: change.at.toISOString(),
      ...(change.reason !== undefined ? { reason: change.reason } : {}),
      ...(change.applied === false ? { applied: false as const } : {}),
    })),
    createdAt: message.createdAt.toISOString(),
    updatedAt: message.updatedAt.toISOString(),
  };
}
