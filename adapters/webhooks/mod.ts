/**
 * The webhook transport: HTTP POSTs to the DNS-checked address of a destination.
 *
 * @module
 */
export { guardHost, type Lookup, systemLookup } from "./dns_guard.ts";
export { HttpWebhookTransport } from "./http_transport.ts";
