/**
 * Request bodies of the admin API as TypeBox schemas: they validate, and they document the
 * API at `/docs`.
 *
 * @module
 */
import { Type } from "@sinclair/typebox";

const Name = Type.String({ minLength: 1, maxLength: 200, description: "A name for people" });
/** Config values are JSON-typed; number and boolean keys also take their text (`"false"`). */
const ConfigValues = Type.Record(
  Type.String(),
  Type.Union([Type.String(), Type.Number(), Type.Boolean()]),
  { description: 'Provider settings (README "Providers"), e.g. { "enforceWindow": false }' },
);
const strict = { additionalProperties: false } as const;

export const CompanyCreate = Type.Object({ name: Name }, strict);

export const ChannelCreate = Type.Object(
  {
    type: Type.Union([Type.Literal("whatsapp"), Type.Literal("email"), Type.Literal("sms")]),
    provider: Type.Optional(
      Type.Union(
        [
          Type.Literal("sandbox"),
          Type.Literal("resend"),
          Type.Literal("twilio"),
          Type.Literal("meta"),
          Type.Literal("smtp"),
        ],
        {
          description: "Defaults to sandbox",
        },
      ),
    ),
    address: Type.String({
      description: "E.164 with + for sms/whatsapp, the sender email for email",
    }),
    name: Name,
    credits: Type.Optional(
      Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: "null = unlimited" }),
    ),
    config: Type.Optional(ConfigValues),
  },
  strict,
);

export const ChannelPatch = Type.Object(
  {
    name: Type.Optional(Name),
    address: Type.Optional(Type.String()),
    credits: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
    config: Type.Optional(ConfigValues),
  },
  strict,
);

export const SimulateInbound = Type.Object(
  {
    from: Type.String({ minLength: 1, maxLength: 320 }),
    text: Type.String({ minLength: 1, maxLength: 4096 }),
  },
  strict,
);

const EventTypeSchema = Type.Union([
  Type.Literal("message.received"),
  Type.Literal("message.sent"),
  Type.Literal("message.delivered"),
  Type.Literal("message.read"),
  Type.Literal("message.failed"),
  Type.Literal("recipient.suppressed"),
  Type.Literal("recipient.unsuppressed"),
]);

const RateLimitSchema = Type.Object(
  { perSecond: Type.Number({ exclusiveMinimum: 0 }), burst: Type.Integer({ minimum: 1 }) },
  strict,
);

export const IntegrationCreate = Type.Object(
  {
    kind: Type.Union([Type.Literal("webhook"), Type.Literal("custom")]),
    name: Name,
    scope: Type.Optional(
      Type.Union([Type.Literal("general"), Type.Literal("channel")], {
        description: "webhook only",
      }),
    ),
    channelId: Type.Optional(
      Type.String({ description: "custom: required; webhook: with scope channel" }),
    ),
    url: Type.Optional(Type.String({ description: "webhook only" })),
    bearerToken: Type.Optional(
      Type.String({ minLength: 1, maxLength: 4096, description: "webhook only" }),
    ),
    events: Type.Optional(
      Type.Array(EventTypeSchema, { minItems: 1, uniqueItems: true, description: "webhook only" }),
    ),
    expiresAt: Type.Optional(Type.String({ format: "date-time", description: "custom only" })),
    rateLimit: Type.Optional(RateLimitSchema),
  },
  strict,
);

export const IntegrationPatch = Type.Object(
  {
    name: Type.Optional(Name),
    enabled: Type.Optional(Type.Boolean()),
    url: Type.Optional(Type.String()),
    bearerToken: Type.Optional(
      Type.Union([Type.String({ minLength: 1, maxLength: 4096 }), Type.Null()]),
    ),
    events: Type.Optional(
      Type.Union([Type.Array(EventTypeSchema, { minItems: 1, uniqueItems: true }), Type.Null()]),
    ),
    expiresAt: Type.Optional(Type.Union([Type.String({ format: "date-time" }), Type.Null()])),
    rateLimit: Type.Optional(Type.Union([RateLimitSchema, Type.Null()])),
  },
  strict,
);

export const ListQuery = Type.Object({
  limit: Type.Optional(Type.String({ description: "1–100, default 50" })),
  cursor: Type.Optional(Type.String({ description: "nextCursor of the previous page" })),
  kind: Type.Optional(Type.String()),
  channelId: Type.Optional(Type.String()),
});
