/**
 * Operator alerts (README "Operator alerts"): the four things an operator must hear about, the
 * envelope their webhook receives, and what makes two of them one incident.
 *
 * @module
 */
import type { ProviderName } from "./domain.ts";

/** What an operator alert reports. */
export type OperatorAlertTopic =
  | "webhook.disabled"
  | "delivery.exhausted"
  | "channel.provider_auth_failed"
  | "channel.credits_exhausted";

/** Every topic, in documentation order. */
export const OPERATOR_ALERT_TOPICS: readonly OperatorAlertTopic[] = [
  "webhook.disabled",
  "delivery.exhausted",
  "channel.provider_auth_failed",
  "channel.credits_exhausted",
];

/** One alert as written to the store: its envelope is signed and posted as is. */
export interface OperatorAlert {
  id: string;
  topic: OperatorAlertTopic;
  /** Alerts with the same key are one incident: only the first is written. */
  incidentKey: string;
  /** `{"type","timestamp","data"}`, serialized once. */
  payload: string;
  createdAt: Date;
}

/**
 * Builds an alert: the envelope `{ type, timestamp, data }` (the shape of every Sendeasy
 * event) and its incident key `topic:part:part…`.
 *
 * @param topic what happened
 * @param options.id the alert's id (`webhook-id` header), e.g. an `evt_` id
 * @param options.incident the parts that name the incident (ids, a run's start, a day)
 * @param options.data what the operator needs to act: ids, codes, reasons; never secrets
 * @param options.at when it happened
 * @example
 * ```ts
 * const alert = operatorAlert("webhook.disabled", {
 *   id: "evt_01JGZ5Y8K3M9T4W7Q2R6X1V0BN",
 *   incident: ["int_01JGZ5Y8K3M9T4W7Q2R6X1V0BN", 1735689600000],
 *   data: { webhookId: "int_01JGZ5Y8K3M9T4W7Q2R6X1V0BN", reason: "failing" },
 *   at: new Date(1735689600000),
 * });
 * alert.incidentKey; // "webhook.disabled:int_01JGZ5Y8K3M9T4W7Q2R6X1V0BN:1735689600000"
 * ```
 */
export function operatorAlert(
  topic: OperatorAlertTopic,
  options: {
    id: string;
    incident: readonly (string | number)[];
    data: Record<string, unknown>;
    at: Date;
  },
): OperatorAlert {
  const { id, incident, data, at } = options;
  return {
    id,
    topic,
    incidentKey: [topic, ...incident].join(":"),
    payload: JSON.stringify({ type: topic, timestamp: at.toISOString(), data }),
    createdAt: at,
  };
}

/**
 * Provider fault codes that mean the channel's credentials were refused: Twilio 20003
 * "Authenticate"; Resend's `missing_api_key`, `invalid_api_key`, `restricted_api_key` (401/403);
 * Meta's OAuth error 190 (access token expired or invalid); an SMTP relay's 535.
 */
const AUTH_FAULTS: Readonly<Partial<Record<ProviderName, ReadonlySet<string>>>> = {
  twilio: new Set(["20003"]),
  resend: new Set(["missing_api_key", "invalid_api_key", "restricted_api_key"]),
  meta: new Set(["190"]),
  smtp: new Set(["535", "EAUTH"]),
};

/**
 * Whether a provider's fault code says the channel's credentials were refused.
 *
 * @example
 * ```ts
 * isProviderAuthFault("twilio", "20003"); // true
 * isProviderAuthFault("twilio", "21211"); // false
 * ```
 */
export function isProviderAuthFault(provider: ProviderName, code: string): boolean {
  return AUTH_FAULTS[provider]?.has(code) ?? false;
}

/**
 * The UTC day of `at` (`2025-01-01`): channel alerts repeat at most once a day per incident.
 *
 * @example
 * ```ts
 * utcDay(new Date("2025-01-01T23:59:00Z")); // "2025-01-01"
 * ```
 */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}
