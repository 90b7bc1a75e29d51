/**
 * Every storage port, as one adapter provides them: what the contract suites drive, and what
 * `createSqliteStore` (and the Postgres store) return, minus adapter extras.
 *
 * @module
 */
import type { ChangeGenerations } from "../../core/ports/change_generations.ts";
import type { ChannelStore } from "../../core/ports/channel_store.ts";
import type { CompanyStore } from "../../core/ports/company_store.ts";
import type { DeliveryStore } from "../../core/ports/delivery_store.ts";
import type { IdempotencyStore } from "../../core/ports/idempotency_store.ts";
import type { IntegrationStore } from "../../core/ports/integration_store.ts";
import type { MessageStore } from "../../core/ports/message_store.ts";
import type { SendQueue } from "../../core/ports/send_queue.ts";
import type { TokenStore } from "../../core/ports/token_store.ts";

/** Every storage port, as one adapter provides them. */
export interface StorePorts {
  companies: CompanyStore;
  channels: ChannelStore;
  integrations: IntegrationStore;
  tokens: TokenStore;
  messages: MessageStore;
  sendQueue: SendQueue;
  idempotency: IdempotencyStore;
  deliveries: DeliveryStore;
  generations: ChangeGenerations;
}
