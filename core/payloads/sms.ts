/**
 * The body of `POST /api/integration/generic` for an SMS token (docs/api.md#sending).
 *
 * @module
 */
import { type Static, Type } from "@sinclair/typebox";
import { checkPhone, E164_WITH_PLUS, phoneExpectation } from "./_addresses.ts";
import { channelTypeField } from "./_channel_type.ts";
import { checkJsonObject } from "./_json_object.ts";
import { checkArray, type ListRule } from "./_lists.ts";
import type { PayloadRules } from "./_rules.ts";
import { checkText, isCleanText } from "./_text.ts";
import { checkHttpUrl, HTTP_URL, httpUrlFault } from "./_urls.ts";

const MAX_BODY = 1600;
const MAX_MEDIA = 10;
const MAX_METADATA_BYTES = 4096;

/**
 * An SMS send. `body` is counted in characters (Unicode code points); `metadata` in bytes of its
 * UTF-8 JSON serialization.
 *
 * @example
 * ```ts
 * const body: SmsPayload = { to: "+5511999999999", body: "Your code: 123456" };
 * ```
 */
export const SmsPayload = Type.Object(
  {
    to: Type.String({
      pattern: E164_WITH_PLUS.source,
      description: 'Recipient phone number in E.164 format with "+", e.g. +5511999999999.',
    }),
    body: Type.String({
      minLength: 1,
      maxLength: MAX_BODY,
      description: `Text to send, 1–${MAX_BODY} characters; the response tells how many segments it took.`,
    }),
    mediaUrls: Type.Optional(
      Type.Array(Type.String({ pattern: HTTP_URL.source }), {
        maxItems: MAX_MEDIA,
        description: `Up to ${MAX_MEDIA} absolute http(s) URLs on public hosts, fetched by the provider (MMS).`,
      }),
    ),
    metadata: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: `Any JSON object of at most ${MAX_METADATA_BYTES} bytes serialized; echoed in events.`,
      }),
    ),
    channelType: channelTypeField("sms"),
  },
  {
    additionalProperties: false,
    title: "SmsPayload",
    description: "Body of POST /api/integration/generic for an SMS token.",
  },
);

/**
 * An SMS send, as {@linkcode SmsPayload} describes it.
 *
 * @example
 * ```ts
 * import { Value } from "@sinclair/typebox/value";
 *
 * const body: unknown = JSON.parse('{"to":"+5511999999999","body":"hi"}');
 * if (Value.Check(SmsPayload, body)) body.to; // body is a SmsPayload here
 * ```
 */
export type SmsPayload = Static<typeof SmsPayload>;

const MEDIA: ListRule = {
  max: MAX_MEDIA,
  item: "an absolute http(s) URL",
  check: (out, path, item) => checkHttpUrl(out, path, item, true),
};

/**
 * The SMS checks TypeBox cannot express (code points, public media hosts, metadata size), and
 * its normalization: `channelType` dropped, everything else as given.
 *
 * @example
 * ```ts
 * SMS_RULES.refine({ to: "+5511999999999", body: "hi", mediaUrls: ["http://10.0.0.1/a.png"] });
 * // false: not a public host
 * ```
 */
export const SMS_RULES: PayloadRules<SmsPayload> = {
  vocabulary: {
    label: "SMS",
    fields: Object.keys(SmsPayload.properties).filter((field) => field !== "channelType"),
    synonyms: new Map([
      ["number", "to"],
      ["phone", "to"],
      ["phonenumber", "to"],
      ["message", "body"],
      ["text", "body"],
      ["files", "mediaUrls"],
      ["media", "mediaUrls"],
      ["meta", "metadata"],
    ]),
  },

  refine(payload) {
    const { body, mediaUrls, metadata } = payload;
    return (
      isCleanText(body) &&
      (mediaUrls === undefined ||
        mediaUrls.every((url) => httpUrlFault(url, true) === undefined)) &&
      (metadata === undefined ||
        checkJsonObject(undefined, "/metadata", metadata, MAX_METADATA_BYTES))
    );
  },

  explain(payload, out) {
    const { to, body, mediaUrls, metadata } = payload;
    if (to === undefined) out.missing("/to", phoneExpectation(true));
    else checkPhone(out, "/to", to, true);
    if (body === undefined) out.missing("/body", `the text to send, 1–${MAX_BODY} characters`);
    else checkText(out, "/body", body, { nonEmpty: true, max: MAX_BODY });
    if (mediaUrls !== undefined) checkArray(out, "/mediaUrls", mediaUrls, MEDIA);
    if (metadata !== undefined) checkJsonObject(out, "/metadata", metadata, MAX_METADATA_BYTES);
  },

  normalize(payload) {
    const { to, body, mediaUrls, metadata } = payload;
    const normalized: SmsPayload = { to, body };
    if (mediaUrls !== undefined) normalized.mediaUrls = mediaUrls;
    if (metadata !== undefined) normalized.metadata = metadata;
    return normalized;
  },
};
