/**
 * Every storage port, as one store adapter provides them (SQLite or Postgres): what the server
 * is built on and what the store contract suites drive.
 *
 * @module
 */
import type { ChangeGenerations } from "./change_generations.ts";
import type { ChannelStore } from "./channel_store.ts";
import type { CompanyStore } from "./company_store.ts";
import type { ContactWindowStore } from "./contact_window_store.ts";
import type { DeliveryStore } from "./delivery_store.ts";
import type { IdempotencyStore } from "./idempotency_store.ts";
import type { IntegrationStore } from "./integration_store.ts";
import type { MessageStore } from "./message_store.ts";
import type { OperationsStore } from "./operations_store.ts";
import type { OperatorAlertStore } from "./operator_alert_store.ts";
import type { OpsStatsReader } from "./ops_stats.ts";
import type { SendQueue } from "./send_queue.ts";
import type { SuppressionStore } from "./suppression_store.ts";
import type { TokenStore } from "./token_store.ts";

/** Every storage port, on one database. */
export interface StorePorts {
  companies: CompanyStore;
  channels: ChannelStore;
  integrations: IntegrationStore;
  tokens: TokenStore;
  messages: MessageStore;
  /** Asynchronous sends: queued messages with a due time. */
  sendQueue: SendQueue;
  /** The webhook outbox: claims, settles, attempt log. */
  deliveries: DeliveryStore;
  idempotency: IdempotencyStore;
  suppressions: SuppressionStore;
  contactWindows: ContactWindowStore;
  /** Change counters every instance polls. */
  generations: ChangeGenerations;
  /** The operator alerts' outbox. */
  operatorAlerts: OperatorAlertStore;
  /** Job leases, retention, deliveries recovery. */
  operations: OperationsStore;
  /** What `/metrics` reads: the delivery backlog, disabled webhooks, queued sends. */
  stats: OpsStatsReader;
}
