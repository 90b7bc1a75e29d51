/**
 * The delivery worker's options and their defaults.
 *
 * @module
 */
import type { DeliveryStore } from "../../core/ports/delivery_store.ts";
import type { IntegrationStore } from "../../core/ports/integration_store.ts";
import type { WorkSignal } from "../../core/ports/work_signal.ts";
import type { Logger } from "../logger.ts";
import type { OperatorAlerts } from "../services/operator_alerts.ts";
import type { WebhookDirectory } from "../services/webhook_directory.ts";
import type { AttemptDeps } from "./attempt.ts";

export interface WorkerOptions {
  deliveries: DeliveryStore;
  integrations: IntegrationStore;
  webhooks: WebhookDirectory;
  signal: WorkSignal;
  attempt: AttemptDeps;
  logger: Logger;
  /** Attempts in flight to one destination at once (default 8). */
  perDestination?: number;
  /** Attempts in flight to one host (`host:port`) at once, all companies together (default 32). */
  perHost?: number;
  /** Attempts in flight for one company at once (default 64). */
  perCompany?: number;
  /** Attempts in flight on this worker (default 128). */
  maxInFlight?: number;
  /**
   * The last slots of `maxInFlight`, kept for companies with fewer than `perDestination`
   * attempts in flight (default 32).
   */
  reservedSlots?: number;
  /** Longest sleep between claims when nothing signals (default 1 000 ms). */
  pollMs?: number;
  /** Exhausted deliveries and disabled webhooks are told to the operator (README). */
  alerts?: OperatorAlerts;
}

/** The bounds and poll interval a worker takes when its options leave them out. */
export const WORKER_DEFAULTS = {
  perDestination: 8,
  perHost: 32,
  perCompany: 64,
  maxInFlight: 128,
  reservedSlots: 32,
  pollMs: 1_000,
} as const satisfies Partial<WorkerOptions>;
