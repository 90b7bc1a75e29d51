/**
 * Resolves a host the server is about to call on a company's behalf (a webhook, a provider's
 * base URL, a media or attachment URL) and refuses it when any address it resolves to is not
 * allowed: loopback, private, link-local and metadata addresses, checked after DNS. Messages
 * never name the address a host resolved to: that would map a private network for a tenant.
 *
 * @module
 */
import { lookup as dnsLookup } from "node:dns/promises";
import { isAddressAllowed } from "../../core/address_safety.ts";

/** Resolves a host name to its addresses (injectable so tests can change the DNS answer). */
export type Lookup = (hostname: string) => Promise<string[]>;

/** The system resolver: every A and AAAA answer. */
export const systemLookup: Lookup = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

/**
 * The address to connect to, or why not: `PRIVATE_ADDRESS` (some resolved address is not
 * allowed) or `UNRESOLVABLE` (no address at all: nothing can be reached through the name).
 */
export type GuardResult =
  | { ok: true; address: string }
  | { ok: false; code: "PRIVATE_ADDRESS" | "UNRESOLVABLE"; message: string };

/**
 * Picks the address to connect to: the host itself when it is an IP literal, else the first
 * resolved address, and only when every resolved address is allowed (a name that resolves to
 * one public and one private address is refused: the resolver could return either later).
 *
 * @param hostname the URL's host name (IPv6 without brackets)
 * @param options.allowPrivate `SENDEASY_ALLOW_PRIVATE_WEBHOOKS` (it relaxes every outbound URL)
 * @param options.lookup resolver (default: the system's)
 * @param options.what what the host is, for messages (default `"host"`, e.g. `"SMTP host"`)
 * @returns the address to connect to, or why not
 */
export async function guardHost(
  hostname: string,
  options: { allowPrivate: boolean; lookup?: Lookup; what?: string },
): Promise<GuardResult> {
  const what = options.what ?? "host";
  const host = hostname.startsWith("[") ? hostname.slice(1, -1) : hostname;
  let addresses: string[];
  try {
    addresses = isIpLiteral(host) ? [host] : await (options.lookup ?? systemLookup)(host);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason = typeof code === "string" && /^[A-Z_]+$/.test(code) ? ` (${code})` : "";
    return {
      ok: false,
      code: "UNRESOLVABLE",
      message: `Cannot resolve ${what} "${host}"${reason}`,
    };
  }
  if (addresses.length === 0)
    return { ok: false, code: "UNRESOLVABLE", message: `Cannot resolve ${what} "${host}"` };
  const refused = addresses.find(
    (address) => !isAddressAllowed(address, { allowPrivate: options.allowPrivate }),
  );
  if (refused !== undefined) {
    return {
      ok: false,
      code: "PRIVATE_ADDRESS",
      message: `Refused ${what} "${host}": it resolves to a non-public address (set SENDEASY_ALLOW_PRIVATE_WEBHOOKS=true to allow)`,
    };
  }
  return { ok: true, address: addresses[0]! };
}

function isIpLiteral(host: string): boolean {
  return /^[0-9.]+$/.test(host) || host.includes(":");
}
