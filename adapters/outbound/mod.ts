/**
 * Outbound requests on a company's behalf: the one address check and the `fetch` that applies
 * it at connect time, after DNS.
 *
 * @module
 */
export {
  checkOutboundTarget,
  type OutboundPolicy,
  type OutboundRefusal,
  type OutboundTarget,
} from "./check_target.ts";
export { createGuardedFetch, type GuardedFetch, OutboundRefusedError } from "./guarded_fetch.ts";
