/**
 * The body of `POST /api/integration/generic` for an Email token (SPEC.md §3, "Email token").
 * The sender address is the channel's; the body only names recipients and content.
 *
 * @module
 */
import { type Static, Type } from "@sinclair/typebox";
import {
  checkEmailAddress,
  checkMessageId,
  EMAIL_ADDRESS,
  MAX_EMAIL_LENGTH,
  MESSAGE_ID,
} from "./_addresses.ts";
import { checkOneOrMany, type ListRule } from "./_lists.ts";
import type { PayloadRules } from "./_rules.ts";
import { checkText, isCleanText } from "./_text.ts";

const MAX_RECIPIENTS = 50;
// RFC 5322 §2.1.1: a header line holds at most 998 characters.
const MAX_SUBJECT = 998;
const MAX_FROM_NAME = 200;

// A display name goes into `From: "<name>" <address>`: a line break would start a new header, and
// a quote, backslash or angle bracket would end the quoted name early. Control characters have
// no business in a name either.
const HEADER_BREAKERS = /[\x01-\x1F\x7F-\x9F"\\<>]/;
const FROM_NAME = /^[^\x00-\x1F\x7F-\x9F"\\<>]*$/;

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
        description: `Recipient address, or an array of 1–${MAX_RECIPIENTS}; to and bcc together name at most ${MAX_RECIPIENTS}.`,
      },
    ),
    subject: Type.String({
      minLength: 1,
      maxLength: MAX_SUBJECT,
      pattern: "^[^\\r\\n]*$",
      description: `Subject line, 1–${MAX_SUBJECT} characters, without line breaks.`,
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
    bcc: Type.Optional(
      // 49: "to" names at least one recipient and both together at most 50.
      Type.Union([EmailAddress, Type.Array(EmailAddress, { maxItems: MAX_RECIPIENTS - 1 })], {
        description: `Blind-copy address or array of them; to and bcc together name at most ${MAX_RECIPIENTS}.`,
      }),
    ),
    fromName: Type.Optional(
      Type.String({
        maxLength: MAX_FROM_NAME,
        pattern: FROM_NAME.source,
        description:
          'Display name of the sender, without line breaks, control characters, ", \\, < or >.',
      }),
    ),
    inReplyTo: Type.Optional(MessageId),
    references: Type.Optional(
      Type.Union([MessageId, Type.Array(MessageId)], {
        description: "Message-ID of the thread, or an array of them, oldest first.",
      }),
    ),
  },
  {
    additionalProperties: false,
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
 * An Email send once validated: recipients and references are arrays and the HTML content is
 * always in `html`. Still an {@linkcode EmailPayload}, so it validates again to itself.
 *
 * @example
 * ```ts
 * const sent: NormalizedEmailPayload = { to: ["a@company.com"], subject: "Hi", html: "<p>Hi</p>" };
 * ```
 */
export type NormalizedEmailPayload = Omit<EmailPayload, "to" | "bcc" | "references" | "body"> & {
  to: string[];
  html: string;
  bcc?: string[];
  references?: string[];
};

const RECIPIENTS: ListRule = {
  min: 1,
  max: MAX_RECIPIENTS,
  item: "an email address",
  check: checkEmailAddress,
};
const BLIND_COPIES: ListRule = { item: "an email address", check: checkEmailAddress };
const REFERENCES: ListRule = { item: "a Message-ID", check: checkMessageId };

/**
 * The Email checks TypeBox cannot express (one of `html`/`body`, `to` + `bcc` ≤ 50, code
 * points), and its normalization: `to`, `bcc` and `references` become arrays, `body` becomes
 * `html`, `channelType` is dropped, everything else stays as given.
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
    fields: Object.keys(EmailPayload.properties),
    synonyms: new Map([
      ["recipient", "to"],
      ["recipients", "to"],
      ["email", "to"],
      ["number", "to"],
      ["title", "subject"],
      ["message", "html"],
      ["content", "html"],
      ["plaintext", "text"],
      ["cc", "bcc"],
      ["from", "fromName"],
      ["sendername", "fromName"],
    ]),
  },

  refine(payload) {
    const { to, subject, html, body, text, bcc, fromName } = payload;
    const bccCount = bcc === undefined ? 0 : typeof bcc === "string" ? 1 : bcc.length;
    return (
      (html === undefined) !== (body === undefined) &&
      (typeof to === "string" ? 1 : to.length) + bccCount <= MAX_RECIPIENTS &&
      isCleanText(subject) &&
      (html === undefined || isCleanText(html)) &&
      (body === undefined || isCleanText(body)) &&
      (text === undefined || isCleanText(text)) &&
      (fromName === undefined || isCleanText(fromName))
    );
  },

  explain(payload, out) {
    const { to, subject, html, body, text, bcc, fromName, inReplyTo, references } = payload;
    let toCount: number | undefined;
    if (to === undefined) {
      out.missing("/to", `an email address or an array of 1–${MAX_RECIPIENTS} of them`);
    } else toCount = checkOneOrMany(out, "/to", to, RECIPIENTS);
    if (subject === undefined) {
      out.missing("/subject", `a subject line of 1–${MAX_SUBJECT} characters`);
    } else
      checkText(out, "/subject", subject, { nonEmpty: true, max: MAX_SUBJECT, singleLine: true });
    if (html !== undefined && body !== undefined) {
      out.invalid(
        "/body",
        'must not come with "html": "body" is another name for "html", give one',
      );
    } else if (html === undefined && body === undefined) {
      out.missing("/html", 'the HTML content, in "html" or in its other name "body"');
    }
    if (html !== undefined) checkText(out, "/html", html, { nonEmpty: true });
    if (body !== undefined) checkText(out, "/body", body, { nonEmpty: true });
    if (text !== undefined) checkText(out, "/text", text, {});
    if (bcc !== undefined) {
      const bccCount = checkOneOrMany(out, "/bcc", bcc, BLIND_COPIES);
      const total = (toCount ?? 0) + (bccCount ?? 0);
      if (bccCount !== undefined && bccCount > 0 && total > MAX_RECIPIENTS) {
        out.invalid(
          "/bcc",
          `with "to" must name at most ${MAX_RECIPIENTS} recipients, got ${total}`,
        );
      }
    }
    if (fromName !== undefined) {
      checkText(out, "/fromName", fromName, { max: MAX_FROM_NAME });
      if (typeof fromName === "string" && HEADER_BREAKERS.test(fromName)) {
        out.invalid(
          "/fromName",
          'must not contain line breaks, control characters, ", \\, < or > (they break the From header)',
        );
      }
    }
    if (inReplyTo !== undefined) checkMessageId(out, "/inReplyTo", inReplyTo);
    if (references !== undefined) checkOneOrMany(out, "/references", references, REFERENCES);
  },

  normalize(payload) {
    const { to, subject, html, body, text, bcc, fromName, inReplyTo, references } = payload;
    // Valid means exactly one of html and body is set.
    const content = (html ?? body) as string;
    const normalized: NormalizedEmailPayload = { to: asArray(to), subject, html: content };
    if (text !== undefined) normalized.text = text;
    if (bcc !== undefined) normalized.bcc = asArray(bcc);
    if (fromName !== undefined) normalized.fromName = fromName;
    if (inReplyTo !== undefined) normalized.inReplyTo = inReplyTo;
    if (references !== undefined) normalized.references = asArray(references);
    return normalized;
  },
};

function asArray(value: string | string[]): string[] {
  return typeof value === "string" ? [value] : value;
}
