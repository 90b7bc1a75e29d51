/**
 * What follows a scheduled delivery attempt: its settle under the worker's lease, then the
 * webhook turned off when it answered 410 or failed for 5 days (docs/api.md#webhooks), and
 * the operator alerts that calls for.
 *
 * @module
 */
import type { ClaimedDelivery, DeliveryStore } from "../../core/ports/delivery_store.ts";
import type { IntegrationStore } from "../../core/ports/integration_store.ts";
import { disableDecision } from "../../core/retry_schedule.ts";
import type { Logger } from "../logger.ts";
import type { OperatorAlerts } from "../services/operator_alerts.ts";
import type { WebhookDirectory } from "../services/webhook_directory.ts";
import type { AttemptResult } from "./attempt.ts";
import { alertAfterAttempt } from "./delivery_alerts.ts";

/** What a settle needs. */
export interface SettleDeps {
  deliveries: DeliveryStore;
  integrations: IntegrationStore;
  webhooks: WebhookDirectory;
  logger: Logger;
  alerts?: OperatorAlerts | undefined;
  /** The clock, in ms. */
  now: () => number;
}

/**
 * Settles the attempt; when the lease still held, tells `onRetry` of a scheduled retry, then
 * disables the webhook and raises alerts as the outcome calls for.
 *
 * @param deps the stores, directory, logger, alerts and clock
 * @param done the claim, the attempt's result, and who wakes for a retry (ms)
 */
export async function settleDelivery(
  deps: SettleDeps,
  done: { claim: ClaimedDelivery; result: AttemptResult; onRetry: (at: number) => void },
): Promise<void> {
  const { claim, result } = done;
  const settled = await deps.deliveries.settle(
    { deliveryId: claim.delivery.id, leaseUntil: claim.leaseUntil },
    result.attempt,
    result.outcome,
  );
  if (!settled.ok) {
    deps.logger.warn("delivery lease lost", { deliveryId: claim.delivery.id });
    return;
  }
  const retryAt = result.outcome.nextAttemptAt;
  if (retryAt !== null) done.onRetry(retryAt.getTime());
  const failingSince = result.outcome.webhookSucceeded
    ? null
    : (settled.failingSince?.getTime() ?? null);
  const reason = disableDecision({
    ...(result.attempt.statusCode === null ? {} : { status: result.attempt.statusCode }),
    failingSince,
    now: deps.now(),
  });
  if (reason !== null) await disableWebhook(deps, claim, reason);
  await alertAfterAttempt(deps.alerts, { claim, result, failingSince, disabled: reason });
}

async function disableWebhook(
  deps: SettleDeps,
  claim: ClaimedDelivery,
  reason: "gone" | "failing",
): Promise<void> {
  const { webhook } = claim;
  await deps.integrations.updateIntegration(
    webhook.companyId,
    webhook.id,
    { enabled: false, disabledReason: reason },
    new Date(deps.now()),
  );
  deps.webhooks.invalidate(webhook.companyId);
  deps.logger.warn("webhook disabled", { webhookId: webhook.id, reason });
}
