/**
 * Admin answers that are not a resource: creations and rotations that reveal a secret once,
 * the pages of every list, and the answers of actions (docs/api.md#admin-api).
 *
 * @module
 */
import { type Static, Type } from "@sinclair/typebox";
import { IsoOrNull, named, page } from "./_common.ts";
import {
  AttemptView,
  ChannelView,
  CompanyView,
  CustomIntegrationView,
  DeliveryView,
  EventView,
  IntegrationView,
  MessageView,
  SuppressionView,
  WebhookIntegrationView,
} from "./admin_views.ts";

const strict = { additionalProperties: false } as const;
const shownOnce = (what: string) => Type.String({ description: `${what}, shown only this once` });

export const CompanyCreated = named(
  "CompanyCreated",
  Type.Object({ company: CompanyView, adminKey: shownOnce("The company's admin key") }, strict),
);
export type CompanyCreated = Static<typeof CompanyCreated>;

export const AdminKeyAnswer = named(
  "AdminKey",
  Type.Object({ adminKey: shownOnce("The new admin key") }, strict),
);
export type AdminKeyAnswer = Static<typeof AdminKeyAnswer>;

export const TokenCreated = named(
  "TokenCreated",
  Type.Object(
    { integration: CustomIntegrationView, token: shownOnce("The integration token (se_…)") },
    strict,
  ),
);
export type TokenCreated = Static<typeof TokenCreated>;

export const WebhookCreated = named(
  "WebhookCreated",
  Type.Object(
    {
      integration: WebhookIntegrationView,
      signingSecret: shownOnce("The signing secret (whsec_…)"),
    },
    strict,
  ),
);
export type WebhookCreated = Static<typeof WebhookCreated>;

export const IntegrationCreated = named(
  "IntegrationCreated",
  Type.Union([TokenCreated, WebhookCreated]),
);
export type IntegrationCreated = Static<typeof IntegrationCreated>;

export const IntegrationRotated = named(
  "IntegrationRotated",
  Type.Union([
    Type.Object({ token: shownOnce("The new token; the old one is refused at once") }, strict),
    Type.Object(
      { signingSecret: shownOnce("The new signing secret; the old one signs for 24 h more") },
      strict,
    ),
  ]),
);
export type IntegrationRotated = Static<typeof IntegrationRotated>;

export const SigningSecrets = named(
  "SigningSecrets",
  Type.Object(
    {
      signingSecret: Type.Union([Type.String(), Type.Null()]),
      previous: Type.Array(
        Type.Object({ signingSecret: Type.String(), expiresAt: IsoOrNull }, strict),
        { description: "Secrets still signing during a rotation's 24 h overlap" },
      ),
    },
    strict,
  ),
);
export type SigningSecrets = Static<typeof SigningSecrets>;

export const InboundSimulated = named(
  "InboundSimulated",
  Type.Object(
    {
      message: Type.Object({ id: Type.String(), status: Type.String() }, strict),
      event: Type.Object({ id: Type.String(), deliveries: Type.Integer({ minimum: 0 }) }, strict),
    },
    strict,
  ),
);
export type InboundSimulated = Static<typeof InboundSimulated>;

export const WebhookTested = named(
  "WebhookTested",
  Type.Object(
    {
      eventId: Type.String(),
      deliveryId: Type.String(),
      status: Type.Union([
        Type.Literal("pending"),
        Type.Literal("succeeded"),
        Type.Literal("failed"),
      ]),
      attempt: AttemptView,
    },
    strict,
  ),
);
export type WebhookTested = Static<typeof WebhookTested>;

export const EventReplayed = named(
  "EventReplayed",
  Type.Object(
    {
      eventId: Type.String(),
      deliveries: Type.Array(Type.Object({ id: Type.String(), webhookId: Type.String() }, strict)),
    },
    strict,
  ),
);
export type EventReplayed = Static<typeof EventReplayed>;

export const DeliveriesRecovered = named(
  "DeliveriesRecovered",
  Type.Object(
    {
      webhookId: Type.String(),
      since: Type.String({ format: "date-time" }),
      dryRun: Type.Boolean(),
      count: Type.Integer({ minimum: 0, description: "Deliveries re-queued (or counted)" }),
      webhookEnabled: Type.Boolean({
        description: "Re-queued deliveries of a disabled webhook wait",
      }),
    },
    strict,
  ),
);
export type DeliveriesRecovered = Static<typeof DeliveriesRecovered>;

export const CompanyPage = page("CompanyPage", CompanyView);
export const ChannelPage = page("ChannelPage", ChannelView);
export const IntegrationPage = page("IntegrationPage", IntegrationView);
export const MessagePage = page("MessagePage", MessageView);
export const EventPage = page("EventPage", EventView);
export const DeliveryPage = page("DeliveryPage", DeliveryView);
export const SuppressionPage = page("SuppressionPage", SuppressionView);

/** A page of any view, as services build it. */
export type Page<T> = { data: T[]; nextCursor: string | null };
