/**
 * The one function through which the server fetches an e-mail attachment's `url`: a GET that
 * connects only to an address the address check allows (loopback, private, link-local and
 * metadata addresses refused after DNS resolution, unless `SENDEASY_ALLOW_PRIVATE_WEBHOOKS`),
 * to the very address it checked, and follows no redirect itself.
 *
 * @module
 */
import { guardHost, type Lookup } from "../webhooks/dns_guard.ts";

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
 * The attachment fetcher behind today's DNS guard (the webhooks' one).
 *
 * @param options.allowPrivate `SENDEASY_ALLOW_PRIVATE_WEBHOOKS`
 * @param options.lookup resolver (default: the system's)
 * @returns the fetcher
 */
export function guardedAttachmentFetch(options: {
  allowPrivate: boolean;
  lookup?: Lookup;
}): FetchAttachment {
  return async (url, signal) => {
    const target = new URL(url);
    const guard = await guardHost(target.hostname, options);
    if (!guard.ok) throw new Error(guard.message.replace("webhook host", "host"));
    const pinned = new URL(target);
    pinned.hostname = guard.address.includes(":") ? `[${guard.address}]` : guard.address;
    return fetch(pinned, {
      headers: { host: target.host, accept: "*/*" },
      redirect: "manual",
      signal,
      // TLS still verifies the certificate against the name, not the pinned address.
      ...(target.protocol === "https:" ? { tls: { serverName: target.hostname } } : {}),
    } as RequestInit);
  };
}
