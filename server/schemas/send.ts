/**
 * `POST /api/integration/generic` as the server applies it (docs/api.md#sending): the request
 * body is the payload of the token's channel type, checked by core's `validateSendPayload`
 * against these very schemas; the answer names the message and the provider's id.
 *
 * @module
 */
import { type Static, Type } from "@sinclair/typebox";
import { EmailPayload } from "../../core/payloads/email.ts";
import { SmsPayload } from "../../core/payloads/sms.ts";
import { WhatsAppPayload } from "../../core/payloads/whatsapp.ts";
import { ChannelTypeSchema, named, ProviderSchema } from "./_common.ts";

/** One of the three payloads; which one is decided by the token, never by the body. */
export const SendRequest = named(
  "SendRequest",
  Type.Union(
    [
      named("WhatsAppPayload", WhatsAppPayload),
      named("EmailPayload", EmailPayload),
      named("SmsPayload", SmsPayload),
    ],
    { description: "The payload of the token's channel type" },
  ),
);
export type SendRequest = Static<typeof SendRequest>;

/** 200: the provider accepted the message. */
export const SendAccepted = named(
  "SendAccepted",
  Type.Object(
    {
      id: Type.String({ description: "The message id (msg_…)" }),
      status: Type.Literal("sent"),
      channel: Type.Object(
        { id: Type.String(), type: ChannelTypeSchema },
        { additionalProperties: false },
      ),
      provider: ProviderSchema,
      providerMessageId: Type.String({ description: "The id the provider gave the message" }),
      segments: Type.Optional(
        Type.Integer({ minimum: 1, description: "SMS only: the segments the text takes" }),
      ),
    },
    { additionalProperties: false, description: "The provider accepted the message" },
  ),
);
export type SendAccepted = Static<typeof SendAccepted>;

/** 202: the send is durable and queued (`Prefer: respond-async`, or `sendAt`). */
export const SendQueued = named(
  "SendQueued",
  Type.Object(
    {
      id: Type.String({ description: "The message id (msg_…)" }),
      status: Type.Literal("queued"),
      channel: Type.Object(
        { id: Type.String(), type: ChannelTypeSchema },
        { additionalProperties: false },
      ),
      sendAt: Type.Optional(
        Type.String({ format: "date-time", description: "When it is due, if scheduled" }),
      ),
    },
    { additionalProperties: false, description: "Queued; the outcome comes as events" },
  ),
);
export type SendQueued = Static<typeof SendQueued>;

/** The headers the send reads besides `Authorization`. */
export const SendHeaders = Type.Object({
  "idempotency-key": Type.Optional(
    Type.String({
      maxLength: 255,
      description:
        "A repeat with the same key and body within 24 h replays the first answer and sends nothing",
    }),
  ),
  prefer: Type.Optional(
    Type.String({
      description:
        "RFC 7240 preferences: `respond-async` queues the send and answers 202 once it is durable",
    }),
  ),
});
