/**
 * What the admin use cases share.
 *
 * @module
 */

import type { ChannelStore } from "../../core/ports/channel_store.ts";
import type { Clock } from "../../core/ports/clock.ts";
import type { CompanyStore } from "../../core/ports/company_store.ts";
import type { ContactWindowStore } from "../../core/ports/contact_window_store.ts";
import type { DeliveryStore } from "../../core/ports/delivery_store.ts";
import type { IntegrationStore } from "../../core/ports/integration_store.ts";
import type { MessageStore } from "../../core/ports/message_store.ts";
import type { OperationsStore } from "../../core/ports/operations_store.ts";
import type { RandomBytes } from "../../core/ports/random.ts";
import type { SendQueue } from "../../core/ports/send_queue.ts";
import type { SuppressionStore } from "../../core/ports/suppression_store.ts";
import type { TokenCache } from "../../core/ports/token_cache.ts";
import type { WorkSignal } from "../../core/ports/work_signal.ts";
import type { AttemptDeps } from "../worker/attempt.ts";
import type { IdFactory } from "./ids.ts";
import type { CheckUrl } from "./payload_urls.ts";
import type { WebhookDirectory } from "./webhook_directory.ts";

export interface AdminDeps {
  companies: CompanyStore;
  channels: ChannelStore;
  integrations: IntegrationStore;
  messages: MessageStore;
  /** Asynchronous sends: canceled here while no worker holds them. */
  sendQueue: SendQueue;
  deliveries: DeliveryStore;
  /** Recovery of a webhook's failed deliveries. */
  operations: OperationsStore;
  suppressions: SuppressionStore;
  contactWindows: ContactWindowStore;
  /** Wakes the delivery workers after a replay, a retry or a suppression event. */
  signal: WorkSignal;
  /** How the test endpoint makes its one attempt. */
  attempt: AttemptDeps;
  tokenCache: TokenCache;
  webhooks: WebhookDirectory;
  ids: IdFactory;
  clock: Clock;
  random: RandomBytes;
  publicUrl: string;
  allowPrivateWebhooks: boolean;
  /**
   * The address check of every URL called on a company's behalf (webhook URLs, provider base
   * URLs): its shape, then every address its host resolves to; `what` names it in messages.
   */
  checkUrl: CheckUrl;
  /**
   * The same check for a bare host name (an SMTP relay): every address it resolves to; `what`
   * names it in messages.
   */
  guardHost: (
    hostname: string,
    what: string,
  ) => Promise<{ ok: true; address: string } | { ok: false; message: string }>;
}

/** Admin lists: `?limit=` (1–100, checked by the route's query schema; default 50) and `?cursor=`. */
export function pageOf(query: { limit?: number; cursor?: string }): {
  limit: number;
  cursor?: string;
} {
  const limit = query.limit ?? 50;
  return query.cursor ? { limit, cursor: query.cursor } : { limit };
}
