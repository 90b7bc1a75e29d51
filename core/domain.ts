/**
 * The domain values every part of Sendeasy speaks in: companies, channels, integrations,
 * messages, events and deliveries (docs/api.md#concepts). Plain data, no behaviour.
 *
 * @module
 */

/**
 * The three channel kinds; a token is bound to exactly one channel, hence one kind.
 *
 * @example
 * ```ts
 * const channelType: ChannelType = "whatsapp";
 * ```
 */
export type ChannelType = "whatsapp" | "email" | "sms";

/** Every channel type, in a stable order (for schemas, CLIs and property tests). */
export const CHANNEL_TYPES: readonly ChannelType[] = ["whatsapp", "email", "sms"];

/** Providers a channel can use (docs/providers.md). `sandbox` works for every channel type. */
export type ProviderName = "sandbox" | "resend" | "twilio" | "meta" | "smtp";

/** One problem in a request, located by a JSON pointer (`/number`, `/to/2`, `""` for the root). */
export interface ErrorDetail {
  path: string;
  message: string;
}

/** A tenant. Nothing crosses companies. */
export interface Company {
  id: string;
  name: string;
  createdAt: Date;
}

/**
 * One value of a channel's provider config: JSON-typed (a secret or URL is a string,
 * `deliveredAfterMs` or an SMTP `port` a number, `enforceWindow` a boolean).
 */
export type ConfigValue = string | number | boolean;

/** One WhatsApp instance, Email mailbox or SMS number. */
export interface Channel {
  id: string;
  companyId: string;
  type: ChannelType;
  provider: ProviderName;
  name: string;
  /** E.164 number (with `+`) for sms/whatsapp, sender email for email. */
  address: string;
  /** Provider settings, secrets included (decrypted); never echoed by the admin API. */
  config: Record<string, ConfigValue>;
  /** Remaining credits; `null` is unlimited. */
  credits: number | null;
  createdAt: Date;
  /** Set when soft-deleted: tokens bound to it then answer `CHANNEL_NOT_FOUND`. */
  deletedAt: Date | null;
}

/** Why the server turned a webhook off on its own (docs/api.md#admin-api). */
export type DisabledReason = "gone" | "failing";

/**
 * Event types a webhook may receive: a message received, sent, delivered, read or failed, and
 * the test event an admin sends to one webhook.
 *
 * @example
 * ```ts
 * const wanted: EventType[] = ["message.delivered", "message.failed"];
 * ```
 */
export type EventType =
  | "message.received"
  | "message.sent"
  | "message.delivered"
  | "message.read"
  | "message.failed"
  | "recipient.suppressed"
  | "recipient.unsuppressed"
  | "integration.test";

/** Fields shared by both integration kinds. */
interface IntegrationBase {
  id: string;
  companyId: string;
  name: string;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** A signing secret of a webhook; after a rotation the old one keeps signing until `expiresAt`. */
export interface SigningSecret {
  secret: string;
  createdAt: Date;
  /** `null` for the current secret; set to rotation time + 24 h for the previous one. */
  expiresAt: Date | null;
}

/** `kind: "webhook"`: Sendeasy pushes events to `url`. */
export interface WebhookIntegration extends IntegrationBase {
  kind: "webhook";
  scope: "general" | "channel";
  /** Set exactly when `scope` is `channel`. */
  channelId: string | null;
  url: string;
  /** Sent as `Authorization: Bearer …` when set. */
  bearerToken: string | null;
  /** Event types this webhook wants; `null` is all of them. */
  events: EventType[] | null;
  disabledReason: DisabledReason | null;
  /** Current secret first; older ones still inside their 24 h overlap after it. */
  signingSecrets: SigningSecret[];
  /** Start of the current run of failed attempts (no success since); `null` when healthy. */
  failingSince: Date | null;
}

/** Per-token rate limit: a token bucket refilled at `perSecond`, holding at most `burst`. */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

/** docs/api.md#rate-limits: 50 requests/s with bursts of 100 unless an integration says otherwise. */
export const DEFAULT_RATE_LIMIT: RateLimit = { perSecond: 50, burst: 100 };

/** `kind: "custom"`: the application calls Sendeasy with this integration's token. */
export interface CustomIntegration extends IntegrationBase {
  kind: "custom";
  /** Always set: custom tokens require a specific channel. */
  channelId: string;
  /** The first 8 characters after `se_` of the current token, for lists. */
  tokenPrefix: string;
  tokenCreatedAt: Date;
  rotatedAt: Date | null;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  rateLimit: RateLimit | null;
}

export type Integration = WebhookIntegration | CustomIntegration;

/** Where a stored token hash stands. Only `active` tokens authenticate. */
export type TokenStatus = "active" | "rotated" | "revoked";

/** A token as the store knows it: only its SHA-256 hash is kept. */
export interface TokenRecord {
  hash: string;
  integrationId: string;
  status: TokenStatus;
  createdAt: Date;
  expiresAt: Date | null;
}

/** Lifecycle of a message (docs/api.md#webhooks event types mirror it). */
export type MessageStatus = "queued" | "sent" | "delivered" | "read" | "failed" | "received";

export type MessageDirection = "outbound" | "inbound";

/** One status change of a message, or a report that did not change it. */
export interface MessageStatusChange {
  status: MessageStatus;
  at: Date;
  /** Provider error code or short reason, for failures. */
  reason?: string;
  /**
   * `false` for a report kept in the history without changing the message: late, backwards,
   * or after a failure (README "Message statuses"). Absent for every change that applied.
   */
  applied?: false;
}

/** One send or one inbound message. */
export interface Message {
  id: string;
  companyId: string;
  channelId: string;
  channelType: ChannelType;
  direction: MessageDirection;
  /** The custom integration that sent it (outbound through the API only). */
  integrationId: string | null;
  status: MessageStatus;
  provider: ProviderName;
  providerMessageId: string | null;
  /** Recipient(s) for outbound, sender for inbound. */
  to: string[];
  from: string;
  /** The normalized payload as accepted (outbound) or received (inbound). */
  payload: Record<string, unknown>;
  segments: number | null;
  credits: number;
  error: { code: string; message: string } | null;
  history: MessageStatusChange[];
  createdAt: Date;
  updatedAt: Date;
}

/** Something that happened on a channel; fans out to webhooks through deliveries. */
export interface StoredEvent {
  id: string;
  companyId: string;
  /** `null` only for `integration.test` events sent to a general webhook. */
  channelId: string | null;
  type: EventType;
  /** The message the event is about, when there is one. */
  messageId: string | null;
  /** The serialized envelope exactly as receivers get it (signed bytes). */
  payload: string;
  createdAt: Date;
}

/** Where a delivery stands. `pending` covers both "not tried yet" and "waiting to retry". */
export type DeliveryStatus = "pending" | "succeeded" | "failed";

/** One event to one webhook destination, with its attempts. */
export interface Delivery {
  id: string;
  companyId: string;
  eventId: string;
  webhookId: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  /** A worker's claim: other workers skip the delivery until the lease runs out. */
  leaseUntil: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** One HTTP try of a delivery (docs/api.md#webhooks: every attempt is logged). */
export interface DeliveryAttempt {
  id: string;
  deliveryId: string;
  trigger: "scheduled" | "manual";
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  /** The first 2 KiB of the answer. */
  responseBody: string | null;
  error: string | null;
}

/** An admin API key: the operator's (`companyId: null`) or one company's. Only its hash is kept. */
export interface AdminKey {
  id: string;
  companyId: string | null;
  hash: string;
  createdAt: Date;
  /** When it was rotated away or retired; a revoked key is refused. `null` while it works. */
  revokedAt: Date | null;
}

/**
 * A settings-page session, kept so it can be ended everywhere: by signing out, or by revoking
 * the admin key it was opened with.
 */
export interface AdminSession {
  /** SHA-256 hex of the session's random id (the cookie holds the id, signed). */
  id: string;
  /** The stored admin key it was opened with; `null` for `SENDEASY_ADMIN_KEY`. */
  keyId: string | null;
  createdAt: Date;
  expiresAt: Date;
}

/**
 * Why an address is suppressed: an opt-out keyword or Twilio 21610 (`stop`), a permanent
 * bounce or Resend's suppression (`bounce`), a spam complaint (`complaint`), Meta's 131050
 * (`unsubscribe`), or an operator (`manual`).
 */
export type SuppressionReason = "stop" | "bounce" | "complaint" | "unsubscribe" | "manual";

/** An address of one channel type that a company's channels must not message. */
export interface Suppression {
  id: string;
  companyId: string;
  channelType: ChannelType;
  /** WhatsApp digits without `+`, SMS E.164 with `+`, e-mail lower-cased. */
  address: string;
  reason: SuppressionReason;
  /** The message whose report or reply caused it, when one did. */
  messageId: string | null;
  createdAt: Date;
}
