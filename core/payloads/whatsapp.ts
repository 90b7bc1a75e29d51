/**
 * The body of `POST /api/integration/generic` for a WhatsApp token (SPEC.md §3, "WhatsApp token").
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
import { checkArray, type ListRule } from "./_lists.ts";
import type { PayloadRules } from "./_rules.ts";
import { checkText, isCleanText } from "./_text.ts";
import { checkHttpUrl, HTTP_URL, httpUrlFault } from "./_urls.ts";

const MAX_MESSAGE = 4096;
const MAX_NAME = 200;
const MAX_FILES = 10;
const MAX_SECTOR = 64;

/**
 * A WhatsApp send. Lengths are in characters (Unicode code points); `message` is measured, and
 * sent, without leading and trailing whitespace.
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
    message: Type.String({
      minLength: 1,
      maxLength: MAX_MESSAGE,
      description: `Text to send: 1–${MAX_MESSAGE} characters after trimming; it is sent trimmed.`,
    }),
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
  },
  {
    additionalProperties: false,
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
    fields: Object.keys(WhatsAppPayload.properties),
    // What Email and SMS bodies (and other APIs) call the same things.
    synonyms: new Map([
      ["to", "number"],
      ["phone", "number"],
      ["phonenumber", "number"],
      ["body", "message"],
      ["text", "message"],
      ["mediaurls", "files"],
      ["media", "files"],
      ["attachments", "files"],
      ["queue", "sector"],
    ]),
  },

  refine(payload) {
    const { message, name, url, files, sector } = payload;
    return (
      isCleanText(message) &&
      /\S/.test(message) &&
      (name === undefined || isCleanText(name)) &&
      (url === undefined || httpUrlFault(url, false) === undefined) &&
      (files === undefined || files.every((file) => httpUrlFault(file, false) === undefined)) &&
      (sector === undefined || isCleanText(sector))
    );
  },

  explain(body, out) {
    const { number, message, name, email, url, files, sector } = body;
    if (number === undefined) out.missing("/number", phoneExpectation(false));
    else checkPhone(out, "/number", number, false);
    if (message === undefined) {
      out.missing("/message", `the text to send, 1–${MAX_MESSAGE} characters`);
    } else checkText(out, "/message", message, { nonEmpty: true, trim: true, max: MAX_MESSAGE });
    if (name !== undefined) checkText(out, "/name", name, { max: MAX_NAME });
    if (email !== undefined) checkEmailAddress(out, "/email", email);
    if (url !== undefined) checkHttpUrl(out, "/url", url, false);
    if (files !== undefined) checkArray(out, "/files", files, FILES);
    if (sector !== undefined) checkText(out, "/sector", sector, { max: MAX_SECTOR });
  },

  normalize(payload) {
    const { number, message, name, email, url, files, sector } = payload;
    const normalized: WhatsAppPayload = { number, message: message.trim() };
    if (name !== undefined) normalized.name = name;
    if (email !== undefined) normalized.email = email;
    if (url !== undefined) normalized.url = url;
    if (files !== undefined) normalized.files = files;
    if (sector !== undefined) normalized.sector = sector;
    return normalized;
  },
};
