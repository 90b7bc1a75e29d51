/**
 * The delivery worker's operator alerts (README "Operator alerts"): a delivery that ran out of
 * retries, and a webhook the server turned off. One alert per webhook and failing run: the run
 * starts at the webhook's first failure and ends at its next success.
 *
 * @module
 */
import type { ClaimedDelivery } from "../../core/ports/delivery_store.ts";
import type { OperatorAlerts } from "../services/operator_alerts.ts";
import type { AttemptResult } from "./attempt.ts";

/**
 * Raises what a settled attempt calls for, if anything.
 *
 * @param alerts the alerts (none when the deployment has no operator webhook)
 * @param settled the claim, the attempt's result, the webhook's failing run (ms) and the
 *   reason the webhook is being disabled, if it is
 */
export async function alertAfterAttempt(
  alerts: OperatorAlerts | undefined,
  settled: {
    claim: ClaimedDelivery;
    result: AttemptResult;
    failingSince: number | null;
    disabled: "gone" | "failing" | null;
  },
): Promise<void> {
  if (alerts === undefined) return;
  const { claim, result, disabled } = settled;
  const { webhook, delivery } = claim;
  const run = settled.failingSince ?? result.attempt.startedAt.getTime();
  const common = {
    companyId: webhook.companyId,
    webhookId: webhook.id,
    name: webhook.name,
    lastStatusCode: result.attempt.statusCode,
    lastError: result.attempt.error,
    failingSince: new Date(run).toISOString(),
  };
  if (result.outcome.status === "failed" && !result.gone) {
    await alerts.raise("delivery.exhausted", [webhook.id, run], {
      ...common,
      deliveryId: delivery.id,
      eventId: claim.event.id,
      attempts: delivery.attempts + 1,
    });
  }
  if (disabled !== null) {
    await alerts.raise("webhook.disabled", [webhook.id, run], { ...common, reason: disabled });
  }
}
