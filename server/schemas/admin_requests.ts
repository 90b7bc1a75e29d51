/**
 * Request bodies and queries of the admin API as TypeBox schemas: the routes validate with
 * them, and the OpenAPI document at `/docs/json` shows them (docs/api.md#admin-api).
 *
 * @module
 */
import { type Static, Type } from "@sinclair/typebox";
import { t } from "elysia";
import { SUPPRESSION_REASONS } from "../../core/public_suppression.ts";
import { ChannelTypeSchema, named, ProviderSchema } from "./_common.ts";
import { ConfigValue, RateLimitView, WebhookEventType } from "./admin_views.ts";

const Name = Type.String({ minLength: 1, maxLength: 200, description: "A name for people" });
/** Config values are JSON-typed; number and boolean keys also take their text (`"false"`). */
const ConfigValues = Type.Record(Type.String(), ConfigValue, {
  description: 'Provider settings (docs/providers.md), e.g. { "enforceWindow": false }',
});
const strict = { additionalProperties: false } as const;

export const CompanyCreate = named("CompanyCreate", Type.Object({ name: Name }, strict));
export type CompanyCreate = Static<typeof CompanyCreate>;

export const ChannelCreate = named(
  "ChannelCreate",
  Type.Object(
    {
      type: ChannelTypeSchema,
      provider: Type.Optional({ ...ProviderSchema, description: "Defaults to sandbox" }),
      address: Type.String({
        description: "E.164 with + for sms/whatsapp, the sender email for email",
      }),
      name: Name,
      credits: Type.Optional(
        Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
          description: "null = unlimited",
        }),
      ),
      config: Type.Optional(ConfigValues),
    },
    strict,
  ),
);
export type ChannelCreate = Static<typeof ChannelCreate>;

export const ChannelPatch = named(
  "ChannelPatch",
  Type.Object(
    {
      name: Type.Optional(Name),
      address: Type.Optional(Type.String()),
      credits: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
      config: Type.Optional(ConfigValues),
    },
    strict,
  ),
);
export type ChannelPatch = Static<typeof ChannelPatch>;

export const SimulateInbound = named(
  "SimulateInbound",
  Type.Object(
    {
      from: Type.String({ minLength: 1, maxLength: 320 }),
      text: Type.String({ minLength: 1, maxLength: 4096 }),
    },
    strict,
  ),
);

const WebhookEvents = Type.Array(WebhookEventType, { minItems: 1, uniqueItems: true });

export const IntegrationCreate = named(
  "IntegrationCreate",
  Type.Object(
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
      events: Type.Optional({ ...WebhookEvents, description: "webhook only" }),
      expiresAt: Type.Optional(Type.String({ format: "date-time", description: "custom only" })),
      rateLimit: Type.Optional(RateLimitView),
    },
    strict,
  ),
);
export type IntegrationCreate = Static<typeof IntegrationCreate>;

export const IntegrationPatch = named(
  "IntegrationPatch",
  Type.Object(
    {
      name: Type.Optional(Name),
      enabled: Type.Optional(Type.Boolean()),
      url: Type.Optional(Type.String()),
      bearerToken: Type.Optional(
        Type.Union([Type.String({ minLength: 1, maxLength: 4096 }), Type.Null()]),
      ),
      events: Type.Optional(Type.Union([WebhookEvents, Type.Null()])),
      expiresAt: Type.Optional(Type.Union([Type.String({ format: "date-time" }), Type.Null()])),
      rateLimit: Type.Optional(Type.Union([RateLimitView, Type.Null()])),
    },
    strict,
  ),
);
export type IntegrationPatch = Static<typeof IntegrationPatch>;

export const SuppressionCreate = named(
  "SuppressionCreate",
  Type.Object(
    {
      channelType: ChannelTypeSchema,
      address: Type.String({
        minLength: 1,
        maxLength: 320,
        description: "WhatsApp digits (+ optional), SMS E.164 with +, or an e-mail address",
      }),
      reason: Type.Optional(
        Type.Union(
          SUPPRESSION_REASONS.map((reason) => Type.Literal(reason)),
          { description: "Defaults to manual" },
        ),
      ),
    },
    strict,
  ),
);
export type SuppressionCreate = Static<typeof SuppressionCreate>;

// Elysia's `t.Integer` turns the query's text into a number before the check.
const paging = {
  limit: t.Optional(t.Integer({ minimum: 1, maximum: 100, description: "Default 50" })),
  cursor: t.Optional(t.String({ description: "nextCursor of the previous page" })),
};

export const ListQuery = t.Object(paging);
export const MessageQuery = t.Object({
  ...paging,
  channelId: t.Optional(t.String({ description: "Only this channel's messages" })),
});
export const IntegrationQuery = t.Object({
  ...paging,
  kind: t.Optional(t.Union([t.Literal("webhook"), t.Literal("custom")])),
});
export const DeliveryQuery = t.Object({
  ...paging,
  webhookId: t.Optional(t.String()),
  eventId: t.Optional(t.String()),
  status: t.Optional(t.Union([t.Literal("pending"), t.Literal("succeeded"), t.Literal("failed")])),
});
export const SuppressionQuery = t.Object({
  ...paging,
  channelType: t.Optional(ChannelTypeSchema),
  address: t.Optional(t.String({ description: "Any spelling of one address" })),
});

export const RecoverBody = named(
  "RecoverBody",
  Type.Object(
    {
      since: Type.String({
        minLength: 1,
        maxLength: 64,
        description: "How far back: 30m, 6h, 7d, or an ISO 8601 time",
      }),
      dryRun: Type.Optional(Type.Boolean({ description: "Only count them (default false)" })),
    },
    strict,
  ),
);
export type RecoverBody = Static<typeof RecoverBody>;
