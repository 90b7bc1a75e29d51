/**
 * Resolves a webhook host and refuses it when any address it resolves to is not allowed
 * (SPEC.md §4: loopback, private, link-local and metadata addresses, checked after DNS).
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

export type GuardResult = { ok: true; address: string } | { ok: false; message: string };

/**
 * Picks the address to connect to: the host itself when it is an IP literal, else the first
 * resolved address, and only when every resolved address is allowed (a name that resolves to
 * one public and one private address is refused: the resolver could return either later).
 *
 * @param hostname the URL's host name (IPv6 without brackets)
 * @param options.allowPrivate `SENDEASY_ALLOW_PRIVATE_WEBHOOKS`
 * @param options.lookup resolver (default: the system's)
 * @returns the address to connect to, or why not
 */
export async function guardHost(
  hostname: string,
  options: { allowPrivate: boolean; lookup?: Lookup },
): Promise<GuardResult> {
  const host = hostname.startsWith("[") ? hostname.slice(1, -1) : hostname;
  let addresses: string[];
  try {
    addresses = isIpLiteral(host) ? [host] : await (options.lookup ?? systemLookup)(host);
  } catch (error) {
    return {
      ok: false,
      message: `Cannot resolve webhook host "${host}": ${(error as Error).message}`,
    };
  }
  if (addresses.length === 0)
    return { ok: false, message: `Cannot resolve webhook host "${host}"` };
  const refused = addresses.find(
    (address) => !isAddressAllowed(address, { allowPrivate: options.allowPrivate }),
  );
  if (refused !== undefined) {
    return {
      ok: false,
      message: `Refused webhook host "${host}": it resolves to ${refused}, a non-public address (set SENDEASY_ALLOW_PRIVATE_WEBHOOKS=true to allow)`,
    };
  }
  return { ok: true, address: addresses[0]! };
}

function isIpLiteral(host: string): boolean {
  return /^[0-9.]+$/.test(host) || host.includes(":");
}
