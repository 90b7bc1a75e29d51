/**
 * The body of `POST /api/integration/generic` for a WhatsApp token (README "Sending"): free
 * text in `message`, or an approved `template` (README "WhatsApp templates"), never both.
 *
 * @module
 */
import { type Static, Type } from "@sinclair/typebox";
import {
  checkEmailAddress,
  checkPhone,
  E164_WITHOUT_PLUS,
  EMAIL_ADDRESS,
  MAX_EMAIL_LENGTH,
  phoneExpectation,
} from "./_addresses.ts";
import { channelTypeField } from "./_channel_type.ts";
import { Details } from "./_details.ts";
import { checkArray, type ListRule } from "./_lists.ts";
import type { PayloadContext, PayloadRules } from "./_rules.ts";
import { checkText, isCleanText } from "./_text.ts";
import { checkHttpUrl, HTTP_URL, httpUrlFault } from "./_urls.ts";
import { checkWhatsAppTemplate, WhatsAppTemplate } from "./whatsapp_template.ts";

const MAX_MESSAGE = 4096;
const MAX_NAME = 200;
const MAX_FILES = 10;
const MAX_SECTOR = 64;

/**
 * A WhatsApp send: exactly one of `message` (free text, only within 24 hours of the contact's
 * last message on a channel that enforces the window) or `template`. Lengths are in characters
 * (Unicode code points); `message` is measured, and sent, without leading and trailing
 * whitespace.
 *
 * @example
 * ```ts
 * const body: WhatsAppPayload = { number: "5511999999999", message: "I want to talk to sales" };
 * ```
 */
export const WhatsAppPayload = Type.Object(
  {
    number: Type.String({
      pattern: E164_WITHOUT_PLUS.source,
      description: 'Recipient phone number in E.164 format without "+", e.g. 5511999999999.',
    }),
    message: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: MAX_MESSAGE,
        description: `Text to send: 1–${MAX_MESSAGE} characters after trimming; it is sent trimmed. Exactly one of message or template.`,
      }),
    ),
    template: Type.Optional(WhatsAppTemplate),
    name: Type.Optional(
      Type.String({ maxLength: MAX_NAME, description: "Contact name, e.g. WhatsApp Lead." }),
    ),
    email: Type.Optional(
      Type.String({
        maxLength: MAX_EMAIL_LENGTH,
        pattern: EMAIL_ADDRESS.source,
        description: "Contact email address, e.g. lead@company.com.",
      }),
    ),
    url: Type.Optional(
      Type.String({
        pattern: HTTP_URL.source,
        description:
          "Absolute http(s) URL the contact came from; its utm_* query parameters are kept on the message.",
      }),
    ),
    files: Type.Optional(
      Type.Array(Type.String({ pattern: HTTP_URL.source }), {
        maxItems: MAX_FILES,
        description: `Up to ${MAX_FILES} absolute http(s) URLs, sent as media.`,
      }),
    ),
    sector: Type.Optional(
      Type.String({
        maxLength: MAX_SECTOR,
        description: "Queue id, kept on the message and echoed in events, e.g. 12.",
      }),
    ),
    channelType: channelTypeField("whatsapp"),
  },
  {
    additionalProperties: false,
    // Exactly one of message and template, and no files with a template: the document says
    // it; the rules below enforce it.
    oneOf: [{ required: ["message"] }, { required: ["template"], not: { required: ["files"] } }],
    title: "WhatsAppPayload",
    description: "Body of POST /api/integration/generic for a WhatsApp token.",
  },
);

/**
 * A WhatsApp send, as {@linkcode WhatsAppPayload} describes it.
 *
 * @example
 * ```ts
 * import { Value } from "@sinclair/typebox/value";
 *
 * const body: unknown = JSON.parse('{"number":"5511999999999","message":"hi"}');
 * if (Value.Check(WhatsAppPayload, body)) body.number; // body is a WhatsAppPayload here
 * ```
 */
export type WhatsAppPayload = Static<typeof WhatsAppPayload>;

const FILES: ListRule = {
  max: MAX_FILES,
  item: "an absolute http(s) URL",
  check: (out, path, item) => checkHttpUrl(out, path, item, false),
};

/**
 * The WhatsApp checks TypeBox cannot express (text after trimming, code points, parsed URLs),
 * and its normalization: `message` trimmed, `channelType` dropped, everything else as given.
 *
 * @example
 * ```ts
 * WHATSAPP_RULES.normalize({ number: "5511999999999", message: "  hi  " }).message; // "hi"
 * ```
 */
export const WHATSAPP_RULES: PayloadRules<WhatsAppPayload> = {
  vocabulary: {
    label: "WhatsApp",
    fields: Object.keys(WhatsAppPayload.properties).filter((field) => field !== "channelType"),
    // What Email and SMS bodies (and other APIs) call the same things.
    synonyms: new Map([
      ["to", "number"],
      ["phone", "number"],
      ["phonenumber", "number"],
      ["body", "message"],
      ["text", "message"],
      ["contentsid", "template"],
      ["templatename", "template"],
      ["mediaurls", "files"],
      ["media", "files"],
      ["attachments", "files"],
      ["queue", "sector"],
    ]),
  },

  refine(payload, context) {
    const { message, template, name, url, files, sector } = payload;
    return (
      (message === undefined
        ? template !== undefined && files === undefined && templateFits(template, context)
        : template === undefined && isCleanText(message) && /\S/.test(message)) &&
      (name === undefined || isCleanText(name)) &&
      (url === undefined || httpUrlFault(url, false) === undefined) &&
      (files === undefined || files.every((file) => httpUrlFault(file, false) === undefined)) &&
      (sector === undefined || isCleanText(sector))
    );
  },

  explain(body, out, context) {
    const { number, message, template, name, email, url, files, sector } = body;
    if (number === undefined) out.missing("/number", phoneExpectation(false));
    else checkPhone(out, "/number", number, false);
    if (message === undefined && template === undefined) {
      out.missing(
        "/message",
        `the text to send, 1–${MAX_MESSAGE} characters, or a "template" to start a conversation`,
      );
    }
    if (message !== undefined && template !== undefined) {
      out.invalid("/template", 'send either "message" (free text) or "template", not both');
    }
    if (message !== undefined) {
      checkText(out, "/message", message, { nonEmpty: true, trim: true, max: MAX_MESSAGE });
    }
    if (template !== undefined) {
      checkWhatsAppTemplate(out, "/template", template, context?.provider);
      if (files !== undefined) {
        out.invalid("/files", "cannot go with a template: its media belong in its header");
      }
    }
    if (name !== undefined) checkText(out, "/name", name, { max: MAX_NAME });
    if (email !== undefined) checkEmailAddress(out, "/email", email);
    if (url !== undefined) checkHttpUrl(out, "/url", url, false);
    if (files !== undefined) checkArray(out, "/files", files, FILES);
    if (sector !== undefined) checkText(out, "/sector", sector, { max: MAX_SECTOR });
  },

  normalize(payload) {
    const { number, message, template, name, email, url, files, sector } = payload;
    const normalized: WhatsAppPayload =
      message === undefined ? { number } : { number, message: message.trim() };
    if (template !== undefined) normalized.template = template;
    if (name !== undefined) normalized.name = name;
    if (email !== undefined) normalized.email = email;
    if (url !== undefined) normalized.url = url;
    if (files !== undefined) normalized.files = files;
    if (sector !== undefined) normalized.sector = sector;
    return normalized;
  },
};

/** Whether a template the schema accepted passes every rule, for the channel's provider. */
function templateFits(template: unknown, context: PayloadContext | undefined): boolean {
  const out = new Details();
  checkWhatsAppTemplate(out, "/template", template, context?.provider);
  return out.empty;
}
