/**
 * How admin resources look on the wire (docs/api.md#admin-api): one TypeBox schema per view.
 * Routes declare them as responses, `server/services/views.ts` builds them, the CLI reads them.
 *
 * @module
 */
import { type Static, Type } from "@sinclair/typebox";
import { EVENT_TYPES, EventEnvelope } from "../../core/events.ts";
import { PublicMessage } from "../../core/public_message.ts";
import { PublicSuppression } from "../../core/public_suppression.ts";
import { ChannelTypeSchema, Iso, IsoOrNull, named, ProviderSchema } from "./_common.ts";

const strict = { additionalProperties: false } as const;

export const CompanyView = named(
  "Company",
  Type.Object({ id: Type.String(), name: Type.String(), createdAt: Iso }, strict),
);
export type CompanyView = Static<typeof CompanyView>;

export const ConfigValue = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);

export const ChannelView = named(
  "Channel",
  Type.Object(
    {
      id: Type.String(),
      type: ChannelTypeSchema,
      provider: ProviderSchema,
      name: Type.String(),
      address: Type.String(),
      credits: Type.Union([Type.Integer(), Type.Null()], { description: "null = unlimited" }),
      config: Type.Record(Type.String(), ConfigValue, {
        description: "The provider settings that are not secret",
      }),
      secrets: Type.Array(Type.String(), {
        description: "Names of the secret settings that are set (their values are never shown)",
      }),
      callbackUrl: Type.Union([Type.String(), Type.Null()], {
        description: "The URL to give the provider for its callbacks; null for the sandbox",
      }),
      createdAt: Iso,
      deletedAt: Type.Optional(Iso),
    },
    strict,
  ),
);
export type ChannelView = Static<typeof ChannelView>;

export const RateLimitView = named(
  "RateLimit",
  Type.Object(
    { perSecond: Type.Number({ exclusiveMinimum: 0 }), burst: Type.Integer({ minimum: 1 }) },
    strict,
  ),
);

/** Event types a webhook can subscribe to (`integration.test` goes to one webhook only). */
export const WebhookEventType = Type.Union(
  EVENT_TYPES.filter((type) => type !== "integration.test").map((type) => Type.Literal(type)),
);

const AnyEventType = Type.Union(EVENT_TYPES.map((type) => Type.Literal(type)));

const integrationCommon = {
  id: Type.String(),
  name: Type.String(),
  enabled: Type.Boolean(),
  createdAt: Iso,
  updatedAt: Iso,
};

export const CustomIntegrationView = named(
  "CustomIntegration",
  Type.Object(
    {
      ...integrationCommon,
      kind: Type.Literal("custom"),
      channelId: Type.String(),
      tokenPrefix: Type.String({ description: "se_ and the first 8 characters of the token" }),
      tokenCreatedAt: Iso,
      rotatedAt: IsoOrNull,
      lastUsedAt: IsoOrNull,
      expiresAt: IsoOrNull,
      rateLimit: Type.Union([RateLimitView, Type.Null()], {
        description: "null = the default, 50 per second with bursts of 100",
      }),
      tokenOld: Type.Boolean({ description: "The token is older than 90 days" }),
    },
    strict,
  ),
);
export type CustomIntegrationView = Static<typeof CustomIntegrationView>;

export const WebhookIntegrationView = named(
  "WebhookIntegration",
  Type.Object(
    {
      ...integrationCommon,
      kind: Type.Literal("webhook"),
      scope: Type.Union([Type.Literal("general"), Type.Literal("channel")]),
      channelId: Type.Union([Type.String(), Type.Null()]),
      url: Type.String(),
      hasBearerToken: Type.Boolean(),
      events: Type.Union([Type.Array(AnyEventType), Type.Null()], {
        description: "null = every event type",
      }),
      disabledReason: Type.Optional(
        Type.Union([Type.Literal("gone"), Type.Literal("failing")], {
          description: "Why the server turned it off: a 410 answer, or 5 days of failures",
        }),
      ),
    },
    strict,
  ),
);
export type WebhookIntegrationView = Static<typeof WebhookIntegrationView>;

export const IntegrationView = named(
  "Integration",
  Type.Union([CustomIntegrationView, WebhookIntegrationView]),
);
export type IntegrationView = Static<typeof IntegrationView>;

export const MessageView = named("Message", PublicMessage);
export type MessageView = Static<typeof MessageView>;

export const SuppressionView = named("Suppression", PublicSuppression);
export type SuppressionView = Static<typeof SuppressionView>;

export const EventView = named(
  "Event",
  Type.Object(
    {
      id: Type.String(),
      type: Type.String({ description: "One of the envelope's event types" }),
      channelId: Type.Union([Type.String(), Type.Null()]),
      messageId: Type.Union([Type.String(), Type.Null()]),
      createdAt: Iso,
      envelope: named("EventEnvelope", EventEnvelope),
    },
    strict,
  ),
);
export type EventView = Static<typeof EventView>;

const deliveryFields = {
  id: Type.String(),
  eventId: Type.String(),
  webhookId: Type.String(),
  status: Type.Union([Type.Literal("pending"), Type.Literal("succeeded"), Type.Literal("failed")]),
  attempts: Type.Integer({ minimum: 0 }),
  nextAttemptAt: IsoOrNull,
  lastStatusCode: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Iso,
  updatedAt: Iso,
};

export const DeliveryView = named("Delivery", Type.Object(deliveryFields, strict));
export type DeliveryView = Static<typeof DeliveryView>;

export const AttemptView = named(
  "Attempt",
  Type.Object(
    {
      id: Type.String(),
      trigger: Type.Union([Type.Literal("scheduled"), Type.Literal("manual")]),
      startedAt: Iso,
      durationMs: Type.Number({ minimum: 0 }),
      statusCode: Type.Union([Type.Integer(), Type.Null()]),
      responseBody: Type.Union([Type.String(), Type.Null()], {
        description: "The first 2 KiB of the answer",
      }),
      error: Type.Union([Type.String(), Type.Null()]),
    },
    strict,
  ),
);
export type AttemptView = Static<typeof AttemptView>;

export const DeliveryDetailView = named(
  "DeliveryWithAttempts",
  Type.Object({ ...deliveryFields, attempts: Type.Array(AttemptView) }, strict),
);
export type DeliveryDetailView = Static<typeof DeliveryDetailView>;
