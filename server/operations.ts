/**
 * The operator's background work (README "Operator alerts", "Retention"): the alerts and their
 * sender when `SENDEASY_OPERATOR_WEBHOOK_URL` is set, the retention job when
 * `SENDEASY_RETENTION_DAYS` is.
 *
 * @module
 */
import { hostname } from "node:os";
import { HttpWebhookTransport } from "../adapters/webhooks/http_transport.ts";
import type { Clock } from "../core/ports/clock.ts";
import type { OperationsStore } from "../core/ports/operations_store.ts";
import type { OperatorAlertStore } from "../core/ports/operator_alert_store.ts";
import type { WebhookMessage } from "../core/signatures.ts";
import type { ServerEnv } from "./env.ts";
import type { Logger } from "./logger.ts";
import type { IdFactory } from "./services/ids.ts";
import { OperatorAlerts } from "./services/operator_alerts.ts";
import { RetentionJob } from "./services/retention_job.ts";
import { OperatorAlertSender } from "./worker/operator_alert_sender.ts";

/** What the composition root starts and stops besides the server. */
export interface Operations {
  /** Undefined without an operator webhook: nothing is raised. */
  alerts: OperatorAlerts | undefined;
  /** Null without `SENDEASY_RETENTION_DAYS`. */
  retention: RetentionJob | null;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Builds the operator's background work from the environment.
 *
 * @param env the server's environment
 * @param parts stores, clock, ids, logger; the address policy and signer every webhook uses
 */
export function buildOperations(
  env: ServerEnv,
  parts: {
    store: { operatorAlerts: OperatorAlertStore; operations: OperationsStore };
    clock: Clock;
    ids: IdFactory;
    logger: Logger;
    outbound: ConstructorParameters<typeof HttpWebhookTransport>[0];
    sign: (message: WebhookMessage, secrets: readonly string[]) => string | Promise<string>;
  },
): Operations {
  const { store, clock, ids, logger } = parts;
  let sender: OperatorAlertSender | null = null;
  let alerts: OperatorAlerts | undefined;
  if (env.operatorWebhook !== null) {
    const alertSender = new OperatorAlertSender({
      store: store.operatorAlerts,
      // Only the operator sets this URL, so it may be an internal (private) address; the
      // address check guards the URLs tenants give, and redirects stay refused.
      transport: new HttpWebhookTransport({ ...parts.outbound, allowPrivate: true }),
      ...env.operatorWebhook,
      sign: parts.sign,
      clock,
      logger,
      retrySchedule: env.webhookRetrySchedule,
      timeoutMs: env.webhookTimeoutMs,
    });
    sender = alertSender;
    alerts = new OperatorAlerts(store.operatorAlerts, {
      ids,
      clock,
      logger,
      wake: () => alertSender.wake(),
    });
  }
  const retention =
    env.retentionDays === null
      ? null
      : new RetentionJob({
          store: store.operations,
          clock,
          logger,
          days: env.retentionDays,
          holder: `${hostname()}:${process.pid}:${ids("request").slice(-8)}`,
        });
  return {
    alerts,
    retention,
    start: () => {
      sender?.start();
      retention?.start();
    },
    stop: async () => {
      await retention?.stop();
      await sender?.stop();
    },
  };
}
