/**
 * The one function through which the server fetches an e-mail attachment's `url`: a GET
 * through the outbound guarded fetch (the address check after DNS, a connection to the very
 * address it approved; loopback, private, link-local and metadata addresses refused unless
 * `SENDEASY_ALLOW_PRIVATE_WEBHOOKS`), following no redirect itself.
 *
 * @module
 */
import { createGuardedFetch } from "../outbound/guarded_fetch.ts";
import type { Lookup } from "../webhooks/dns_guard.ts";

/**
 * Fetches a URL like `fetch` with `redirect: "manual"` (a 3xx comes back as it is), or rejects
 * when the host's address is refused or cannot be reached.
 *
 * @example
 * ```ts
 * const response = await fetchAttachment("https://cdn.shop.example/logo.png", signal);
 * ```
 */
export type FetchAttachment = (url: string, signal: AbortSignal) => Promise<Response>;

/**
 * The attachment fetcher on the outbound guarded fetch.
 *
 * @param options.allowPrivate `SENDEASY_ALLOW_PRIVATE_WEBHOOKS`
 * @param options.lookup resolver (default: the system's)
 * @returns the fetcher
 */
export function guardedAttachmentFetch(options: {
  allowPrivate: boolean;
  lookup?: Lookup;
}): FetchAttachment {
  const guarded = createGuardedFetch(options);
  return (url, signal) => guarded(url, { headers: { accept: "*/*" }, redirect: "manual", signal });
}
