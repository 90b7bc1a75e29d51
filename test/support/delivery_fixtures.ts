/**
 * Values for the delivery contract: a fixed clock, time-sortable ids, and builders of
 * companies, channels, webhooks, events, attempts and outcomes.
 *
 * @module
 */
import type {
  Channel,
  Company,
  DeliveryAttempt,
  EventType,
  StoredEvent,
  WebhookIntegration,
} from "../../core/domain.ts";
import type { DeliveryOutcome } from "../../core/ports/delivery_store.ts";
import type { OutboxEvent } from "../../core/ports/message_store.ts";

export const T0: number = Date.UTC(2025, 0, 1);
/** `seconds` after T0. */
export const at = (seconds: number): Date => new Date(T0 + seconds * 1000);

let seq = 0;
/** Ids sortable by creation order, like the prefixed ULIDs of production. */
export const nextId = (prefix: string): string => `${prefix}_${String(++seq).padStart(20, "0")}`;

export function company(name = "Acme"): Company {
  return { id: nextId("co"), name, createdAt: at(0) };
}

export function channel(companyId: string): Channel {
  return {
    id: nextId("ch"),
    companyId,
    type: "sms",
    provider: "sandbox",
    name: "Support line",
    address: "+15550001111",
    config: {},
    credits: null,
    createdAt: at(0),
    deletedAt: null,
  };
}

export function webhook(
  companyId: string,
  overrides: Partial<WebhookIntegration> = {},
): WebhookIntegration {
  return {
    id: nextId("int"),
    companyId,
    name: "CRM",
    enabled: true,
    createdAt: at(0),
    updatedAt: at(0),
    kind: "webhook",
    scope: "general",
    channelId: null,
    url: "https://crm.example.com/hooks",
    bearerToken: "crm-bearer",
    events: null,
    disabledReason: null,
    signingSecrets: [{ secret: "whsec_contract", createdAt: at(0), expiresAt: null }],
    failingSince: null,
    ...overrides,
  };
}

/** An event (no message: the contract needs none) going to `webhookIds`, created at `when`. */
export function outboxEvent(
  companyId: string,
  channelId: string | null,
  webhookIds: readonly string[],
  options: { when?: Date; type?: EventType } = {},
): OutboxEvent {
  const id = nextId("evt");
  const type = options.type ?? "message.sent";
  const event: StoredEvent = {
    id,
    companyId,
    channelId,
    type,
    messageId: null,
    payload: JSON.stringify({ id, type, companyId, channel: channelId, data: {} }),
    createdAt: options.when ?? at(0),
  };
  return { event, deliveries: webhookIds.map((w) => [nextId("dlv"), w] as const) };
}

/** An attempt of `deliveryId` that started at `started` and answered `statusCode`. */
export function attemptOf(
  deliveryId: string,
  started: Date,
  statusCode: number | null,
  trigger: DeliveryAttempt["trigger"] = "scheduled",
): DeliveryAttempt {
  const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
  return {
    id: nextId("att"),
    deliveryId,
    trigger,
    startedAt: started,
    durationMs: 120,
    statusCode,
    responseBody: statusCode === null ? null : `{"status":${statusCode}}`,
    error: ok ? null : statusCode === null ? "ECONNREFUSED" : `HTTP ${statusCode}`,
  };
}

export const succeeded = (statusCode = 200): DeliveryOutcome => ({
  status: "succeeded",
  nextAttemptAt: null,
  lastStatusCode: statusCode,
  lastError: null,
  webhookSucceeded: true,
});

export const retryAt = (next: Date, statusCode: number | null = 503): DeliveryOutcome => ({
  status: "pending",
  nextAttemptAt: next,
  lastStatusCode: statusCode,
  lastError: statusCode === null ? "ECONNREFUSED" : `HTTP ${statusCode}`,
  webhookSucceeded: false,
});

export const gaveUp = (statusCode = 500): DeliveryOutcome => ({
  status: "failed",
  nextAttemptAt: null,
  lastStatusCode: statusCode,
  lastError: `HTTP ${statusCode}`,
  webhookSucceeded: false,
});
