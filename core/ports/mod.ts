/**
 * The ports (interfaces) adapters implement: stores, caches, limits, providers, transport.
 *
 * @module
 */
export type * from "./attachment_opener.ts";
export type * from "./change_generations.ts";
export type * from "./channel_store.ts";
export type * from "./clock.ts";
export type * from "./company_store.ts";
export type * from "./contact_window_store.ts";
export type * from "./delivery_store.ts";
export type * from "./idempotency_store.ts";
export type * from "./integration_store.ts";
export type * from "./message_store.ts";
export type * from "./operations_store.ts";
export type * from "./operator_alert_store.ts";
export type * from "./page.ts";
export type * from "./providers.ts";
export type * from "./random.ts";
export type * from "./rate_limiter.ts";
export type * from "./send_pacer.ts";
export type * from "./send_queue.ts";
export type * from "./store_ports.ts";
export type * from "./suppression_store.ts";
export type * from "./token_cache.ts";
export type * from "./token_store.ts";
export type * from "./webhook_transport.ts";
export type * from "./work_signal.ts";
