/**
 * The body of `POST /api/integration/generic` for an Email token (README "E-mail"). The sender
 * address is the channel's; the body names recipients, content, a few headers, tags and files.
 *
 * @module
 */
import { type Static, Type } from "@sinclair/typebox";
import { EMAIL_ADDRESS, MAX_EMAIL_LENGTH, MESSAGE_ID } from "./_addresses.ts";
import { channelTypeField } from "./_channel_type.ts";
import {
  attachmentsAreValid,
  EmailAttachmentInput,
  MAX_ATTACHMENTS,
} from "./_email_attachments.ts";
import { explainEmail } from "./_email_explain.ts";
import {
  ALLOWED_HEADER_NAME,
  HEADER_VALUE,
  headersAreValid,
  MAX_HEADER_VALUE,
} from "./_email_headers.ts";
import { MAX_FROM_NAME, MAX_RECIPIENTS, MAX_REPLY_TO, MAX_SUBJECT } from "./_email_limits.ts";
import { EmailTag, MAX_TAGS, tagsAreValid } from "./_email_tags.ts";
import type { PayloadRules } from "./_rules.ts";
import { headerLinePattern, isCleanText } from "./_text.ts";

const EmailAddress = Type.String({
  maxLength: MAX_EMAIL_LENGTH,
  pattern: EMAIL_ADDRESS.source,
  description: "An email address, e.g. customer@company.com.",
});

const MessageId = Type.String({
  pattern: MESSAGE_ID.source,
  description: "A Message-ID, e.g. <abc123@mail.company.com>.",
});

/**
 * An Email send. Exactly one of `html` and `body` (another name for `html`) carries the HTML
 * content. Lengths are in characters (Unicode code points).
 *
 * @example
 * ```ts
 * const body: EmailPayload = { to: "customer@company.com", subject: "Hi", html: "<p>Hi</p>" };
 * ```
 */
export const EmailPayload = Type.Object(
  {
    to: Type.Union(
      [EmailAddress, Type.Array(EmailAddress, { minItems: 1, maxItems: MAX_RECIPIENTS })],
      {
        description: `Recipient address, or an array of 1–${MAX_RECIPIENTS}; to, cc and bcc together name at most ${MAX_RECIPIENTS}.`,
      },
    ),
    subject: Type.String({
      minLength: 1,
      maxLength: MAX_SUBJECT,
      pattern: headerLinePattern(),
      description: `Subject line, 1–${MAX_SUBJECT} characters, without line breaks or control characters (TAB is allowed).`,
    }),
    html: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'HTML content. Give exactly one of "html" and "body".',
      }),
    ),
    body: Type.Optional(
      Type.String({ minLength: 1, description: 'Another name for "html"; sent as "html".' }),
    ),
    text: Type.Optional(Type.String({ description: "Plain-text part." })),
    cc: Type.Optional(
      // 49: "to" names at least one recipient and all three together at most 50.
      Type.Union([EmailAddress, Type.Array(EmailAddress, { maxItems: MAX_RECIPIENTS - 1 })], {
        description: `Copy address or array of them, shown to every recipient; to, cc and bcc together name at most ${MAX_RECIPIENTS}.`,
      }),
    ),
    bcc: Type.Optional(
      Type.Union([EmailAddress, Type.Array(EmailAddress, { maxItems: MAX_RECIPIENTS - 1 })], {
        description: `Blind-copy address or array of them; to, cc and bcc together name at most ${MAX_RECIPIENTS}.`,
      }),
    ),
    replyTo: Type.Optional(
      Type.Union(
        [EmailAddress, Type.Array(EmailAddress, { minItems: 1, maxItems: MAX_REPLY_TO })],
        { description: `Where replies go: an address or an array of 1–${MAX_REPLY_TO}.` },
      ),
    ),
    fromName: Type.Optional(
      Type.String({
        maxLength: MAX_FROM_NAME,
        pattern: headerLinePattern('"\\\\<>'),
        description:
          'Display name of the sender, without line breaks, control characters (TAB is allowed), ", \\, < or >.',
      }),
    ),
    inReplyTo: Type.Optional(MessageId),
    references: Type.Optional(
      Type.Union([MessageId, Type.Array(MessageId)], {
        description: "Message-ID of the thread, or an array of them, oldest first.",
      }),
    ),
    headers: Type.Optional(
      Type.Record(
        Type.String({ pattern: ALLOWED_HEADER_NAME.source }),
        Type.String({ maxLength: MAX_HEADER_VALUE, pattern: HEADER_VALUE.source }),
        {
          additionalProperties: false,
          description:
            "Extra headers: List-Unsubscribe, List-Unsubscribe-Post (one-click unsubscribe) and X-* names only; no control characters.",
        },
      ),
    ),
    tags: Type.Optional(
      Type.Array(EmailTag, {
        maxItems: MAX_TAGS,
        description: `Up to ${MAX_TAGS} tags, kept on the message and in its events (and sent to Resend).`,
      }),
    ),
    attachments: Type.Optional(
      Type.Array(EmailAttachmentInput, {
        maxItems: MAX_ATTACHMENTS,
        description: `Up to ${MAX_ATTACHMENTS} files, each by base64 "content" or by "url" (fetched by the server: 10 MiB each, 25 MiB in all).`,
      }),
    ),
    channelType: channelTypeField("email"),
  },
  {
    additionalProperties: false,
    // Exactly one of html and body: the document says it; the rules below enforce it.
    oneOf: [{ required: ["html"] }, { required: ["body"] }],
    title: "EmailPayload",
    description: "Body of POST /api/integration/generic for an Email token.",
  },
);

/**
 * An Email send, as {@linkcode EmailPayload} describes it.
 *
 * @example
 * ```ts
 * import { Value } from "@sinclair/typebox/value";
 *
 * const body: unknown = JSON.parse('{"to":"a@company.com","subject":"Hi","html":"<p>Hi</p>"}');
 * if (Value.Check(EmailPayload, body)) body.subject; // body is a EmailPayload here
 * ```
 */
export type EmailPayload = Static<typeof EmailPayload>;

/**
 * An Email send once validated: recipients, reply-to addresses and references are arrays and
 * the HTML content is always in `html`. Still an {@linkcode EmailPayload}, so it validates again
 * to itself.
 *
 * @example
 * ```ts
 * const sent: NormalizedEmailPayload = { to: ["a@company.com"], subject: "Hi", html: "<p>Hi</p>" };
 * ```
 */
export type NormalizedEmailPayload = Omit<
  EmailPayload,
  "to" | "cc" | "bcc" | "replyTo" | "references" | "body"
> & {
  to: string[];
  html: string;
  cc?: string[];
  bcc?: string[];
  replyTo?: string[];
  references?: string[];
};

/**
 * The Email checks TypeBox cannot express (one of `html`/`body`, `to` + `cc` + `bcc` ≤ 50, code
 * points, header, tag and attachment rules), and its normalization: `to`, `cc`, `bcc`, `replyTo`
 * and `references` become arrays, `body` becomes `html`, `channelType` is dropped, everything
 * else stays as given.
 *
 * @example
 * ```ts
 * EMAIL_RULES.normalize({ to: "a@company.com", subject: "Hi", body: "<p>Hi</p>" });
 * // { to: ["a@company.com"], subject: "Hi", html: "<p>Hi</p>" }
 * ```
 */
export const EMAIL_RULES: PayloadRules<EmailPayload, NormalizedEmailPayload> = {
  vocabulary: {
    label: "Email",
    fields: Object.keys(EmailPayload.properties).filter((field) => field !== "channelType"),
    synonyms: new Map([
      ["recipient", "to"],
      ["recipients", "to"],
      ["email", "to"],
      ["number", "to"],
      ["title", "subject"],
      ["message", "html"],
      ["content", "html"],
      ["plaintext", "text"],
      ["from", "fromName"],
      ["sendername", "fromName"],
      ["replyto", "replyTo"],
      ["reply", "replyTo"],
      ["header", "headers"],
      ["tag", "tags"],
      ["attachment", "attachments"],
      ["files", "attachments"],
      ["file", "attachments"],
    ]),
  },

  refine(payload) {
    const { to, cc, bcc, subject, html, body, text, fromName } = payload;
    const { headers, tags, attachments } = payload;
    return (
      (html === undefined) !== (body === undefined) &&
      count(to) + count(cc) + count(bcc) <= MAX_RECIPIENTS &&
      isCleanText(subject) &&
      (html === undefined || isCleanText(html)) &&
      (body === undefined || isCleanText(body)) &&
      (text === undefined || isCleanText(text)) &&
      (fromName === undefined || isCleanText(fromName)) &&
      (headers === undefined || headersAreValid(headers)) &&
      (tags === undefined || tagsAreValid(tags)) &&
      (attachments === undefined || attachmentsAreValid(attachments))
    );
  },

  explain: explainEmail,

  normalize(payload) {
    const { to, subject, html, body, text, fromName, inReplyTo, references } = payload;
    // Valid means exactly one of html and body is set.
    const content = (html ?? body) as string;
    const normalized: NormalizedEmailPayload = { to: asArray(to), subject, html: content };
    if (text !== undefined) normalized.text = text;
    if (payload.cc !== undefined) normalized.cc = asArray(payload.cc);
    if (payload.bcc !== undefined) normalized.bcc = asArray(payload.bcc);
    if (payload.replyTo !== undefined) normalized.replyTo = asArray(payload.replyTo);
    if (fromName !== undefined) normalized.fromName = fromName;
    if (inReplyTo !== undefined) normalized.inReplyTo = inReplyTo;
    if (references !== undefined) normalized.references = asArray(references);
    if (payload.headers !== undefined) normalized.headers = payload.headers;
    if (payload.tags !== undefined) normalized.tags = payload.tags;
    if (payload.attachments !== undefined) normalized.attachments = payload.attachments;
    return normalized;
  },
};

function count(value: string | string[] | undefined): number {
  if (value === undefined) return 0;
  return typeof value === "string" ? 1 : value.length;
}

function asArray(value: string | string[]): string[] {
  return typeof value === "string" ? [value] : value;
}
