/**
 * One webhook attempt: sign, post, and decide what happens next (docs/api.md#webhooks). Shared by the
 * delivery worker, the test endpoint and manual retries.
 *
 * @module
 */
import type {
  Delivery,
  DeliveryAttempt,
  StoredEvent,
  WebhookIntegration,
} from "../../core/domain.ts";
import type { DeliveryOutcome } from "../../core/ports/delivery_store.ts";
import type { WebhookTransport } from "../../core/ports/webhook_transport.ts";
import { nextRetryDelay, parseRetryAfter } from "../../core/retry_schedule.ts";
import { signWebhook, type WebhookMessage } from "../../core/signatures.ts";
import { liveSigningSecrets } from "../../core/signing_secrets.ts";

export interface AttemptDeps {
  transport: WebhookTransport;
  now: () => number;
  random: () => number;
  newAttemptId: () => string;
  retrySchedule: readonly number[];
  /** Computes `webhook-signature`; default core's `signWebhook` (WebCrypto). */
  sign?: (message: WebhookMessage, secrets: readonly string[]) => string | Promise<string>;
  timeoutMs: number;
  /** Counts each attempt's outcome (`GET /metrics`). */
  onAttempt?: (
    outcome: "succeeded" | "retrying" | "failed" | "gone",
    trigger: "scheduled" | "manual",
  ) => void;
}

/** What one attempt produced: the log row, the delivery's next state, and a 410 flag. */
export interface AttemptResult {
  attempt: DeliveryAttempt;
  outcome: DeliveryOutcome;
  /** The destination answered 410: the webhook is to be disabled at once. */
  gone: boolean;
}

/**
 * Posts the event to the webhook once.
 *
 * @param deps transport, clock, randomness, schedule
 * @param target the delivery (its `attempts` before this one), the event and the webhook
 * @returns the attempt and the outcome to store
 */
export async function attemptDelivery(
  deps: AttemptDeps,
  target: {
    delivery: Delivery;
    event: StoredEvent;
    webhook: WebhookIntegration;
    trigger: "scheduled" | "manual";
  },
): Promise<AttemptResult> {
  const { delivery, event, webhook } = target;
  const startedAt = deps.now();
  const timestamp = Math.floor(startedAt / 1000);
  // docs/api.md#webhooks: after a rotation both the old and the new secret sign, for 24 h.
  const secrets = liveSigningSecrets(webhook.signingSecrets, startedAt).map((s) => s.secret);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "Sendeasy-Webhooks/1",
    "webhook-id": event.id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": await (deps.sign ?? signWebhook)(
      { id: event.id, timestamp, body: event.payload },
      secrets,
    ),
  };
  if (webhook.bearerToken !== null) headers.authorization = `Bearer ${webhook.bearerToken}`;

  const response = await deps.transport.post({
    url: webhook.url,
    headers,
    body: event.payload,
    timeoutMs: deps.timeoutMs,
  });
  const attempt: DeliveryAttempt = {
    id: deps.newAttemptId(),
    deliveryId: delivery.id,
    trigger: target.trigger,
    startedAt: new Date(startedAt),
    durationMs: response.durationMs,
    statusCode: response.statusCode,
    responseBody: response.body,
    error:
      response.error ??
      (isSuccess(response.statusCode) ? null : describeStatus(response.statusCode)),
  };
  const succeeded = isSuccess(response.statusCode);
  const gone = response.statusCode === 410;
  let next: number | null = null;
  if (!succeeded && !gone) {
    const retryAfterSeconds = parseRetryAfter(response.retryAfter, deps.now());
    next = nextRetryDelay(delivery.attempts + 1, {
      schedule: deps.retrySchedule,
      random: deps.random,
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      ...(response.statusCode === null ? {} : { status: response.statusCode }),
    });
  }
  const outcome: DeliveryOutcome = {
    status: succeeded ? "succeeded" : next === null ? "failed" : "pending",
    nextAttemptAt: next === null ? null : new Date(deps.now() + next),
    lastStatusCode: response.statusCode,
    lastError: attempt.error,
    webhookSucceeded: succeeded,
  };
  deps.onAttempt?.(
    gone ? "gone" : succeeded ? "succeeded" : next === null ? "failed" : "retrying",
    target.trigger,
  );
  return { attempt, outcome, gone };
}

// docs/api.md#webhooks: success is any 2xx; a redirect is a failure (it is not followed).
function isSuccess(status: number | null): boolean {
  return status !== null && status >= 200 && status < 300;
}

function describeStatus(status: number | null): string {
  if (status === null) return "No answer";
  if (status >= 300 && status < 400) return `Redirect (${status}) not followed`;
  return `HTTP ${status}`;
}
