/**
 * Which addresses the server may call on a company's behalf (webhook URLs, provider base
 * URLs, media and attachment URLs): loopback, private, link-local and cloud-metadata
 * addresses are refused unless private destinations are allowed. Used on the URL when it is
 * given, and on every resolved address at connect time (the outbound guard adapter).
 *
 * @module
 */
import { parseIp } from "./_ip_text.ts";

/** What an IP address is, for SSRF decisions. */
export type AddressClass =
  | "public"
  | "loopback"
  | "private"
  | "link-local"
  | "cgnat"
  | "multicast"
  | "metadata"
  | "unspecified"
  | "reserved"
  | "invalid";

/** Options of {@linkcode checkWebhookUrl} and {@linkcode isAddressAllowed}. */
export interface AddressSafetyOptions {
  /** Allow every well-formed address, not only public ones (`SENDEASY_ALLOW_PRIVATE_WEBHOOKS`). Default `false`. */
  allowPrivate?: boolean;
}

/** Outcome of {@linkcode checkOutboundUrl} and {@linkcode checkWebhookUrl}. */
export type CheckWebhookUrlResult =
  | { ok: true; url: URL }
  | {
      ok: false;
      code: "INVALID_URL" | "UNSAFE_SCHEME" | "CREDENTIALS_IN_URL" | "PRIVATE_ADDRESS";
      message: string;
    };

/** Options of {@linkcode checkOutboundUrl}. */
export interface CheckOutboundUrlOptions extends AddressSafetyOptions {
  /** What the URL is, for messages (default `"URL"`), e.g. `"webhook URL"`, `"baseUrl"`. */
  what?: string;
}

/** A range of a table below: the embedded IPv4 address (at byte `at`) decides, or a fixed class. */
type RangeClass = AddressClass | { embeddedV4At: number };
interface Range {
  prefix: Uint8Array;
  bits: number;
  rangeClass: RangeClass;
}

/** IANA special-purpose IPv4 registry plus cloud metadata endpoints; first match wins. */
const IPV4_RANGES = ranges([
  ["0.0.0.0/32", "unspecified"],
  ["0.0.0.0/8", "reserved"],
  ["10.0.0.0/8", "private"],
  ["100.100.100.200/32", "metadata"], // Alibaba Cloud
  ["100.64.0.0/10", "cgnat"],
  ["127.0.0.0/8", "loopback"],
  ["169.254.169.254/32", "metadata"], // AWS, GCP, Azure, OCI, DigitalOcean…
  ["169.254.170.2/32", "metadata"], // AWS ECS task credentials
  ["169.254.0.0/16", "link-local"],
  ["172.16.0.0/12", "private"],
  ["192.0.0.192/32", "metadata"], // Oracle Cloud (legacy)
  ["192.0.0.0/24", "reserved"],
  ["192.0.2.0/24", "reserved"],
  ["192.88.99.0/24", "reserved"], // deprecated 6to4 relay anycast
  ["192.168.0.0/16", "private"],
  ["198.18.0.0/15", "reserved"],
  ["198.51.100.0/24", "reserved"],
  ["203.0.113.0/24", "reserved"],
  ["224.0.0.0/4", "multicast"],
  ["255.255.255.255/32", "reserved"],
  ["240.0.0.0/4", "reserved"],
]);

/**
 * IANA special-purpose IPv6 registry; first match wins. Forms that carry an IPv4 address a
 * host or translator would actually reach (mapped, NAT64, 6to4) are judged by that address.
 */
const IPV6_RANGES = ranges([
  ["::/128", "unspecified"],
  ["::1/128", "loopback"],
  ["::ffff:0:0/96", { embeddedV4At: 12 }],
  ["64:ff9b::/96", { embeddedV4At: 12 }],
  ["2002::/16", { embeddedV4At: 2 }],
  ["::/8", "reserved"], // includes deprecated IPv4-compatible ::a.b.c.d
  ["64:ff9b:1::/48", "reserved"], // local-use NAT64
  ["100::/64", "reserved"], // discard-only
  ["2001:db8::/32", "reserved"], // documentation
  ["2001::/23", "reserved"], // IETF protocol assignments, Teredo
  ["3fff::/20", "reserved"], // documentation
  ["5f00::/16", "reserved"], // SRv6 SIDs
  ["fd00:ec2::254/128", "metadata"], // AWS
  ["fc00::/7", "private"], // unique local
  ["fe80::/10", "link-local"],
  ["fec0::/10", "private"], // deprecated site-local
  ["ff00::/8", "multicast"],
  ["2000::/3", "public"],
]);

/**
 * Classifies an IP address. Accepts dotted-decimal IPv4 (no leading zeros, which some stacks
 * read as octal) and IPv6 in any RFC 4291 spelling, optionally bracketed (`[::1]`) or with a
 * zone (`fe80::1%eth0`). IPv4-mapped (`::ffff:127.0.0.1`, `::ffff:7f00:1`), NAT64
 * (`64:ff9b::/96`) and 6to4 (`2002::/16`) addresses are classified by their embedded IPv4.
 * Unallocated IPv6 space outside `2000::/3` is `reserved`. Host names are `invalid`.
 *
 * @param ip The address, as text.
 * @returns Its class; `invalid` when it is not an IP address.
 * @example
 * ```ts
 * classifyAddress("169.254.169.254");  // "metadata"
 * classifyAddress("[::ffff:10.0.0.1]"); // "private"
 * classifyAddress("2606:4700::1111");   // "public"
 * ```
 */
export function classifyAddress(ip: string): AddressClass {
  const bytes = parseIp(ip);
  return bytes === null ? "invalid" : classifyBytes(bytes);
}

/**
 * Whether a webhook may be delivered to this (resolved) address. Without `allowPrivate` only
 * `public` addresses pass. With it, every well-formed address passes (loopback, private,
 * link-local, CGNAT, metadata, reserved…): the switch exists for tests and LAN setups, and its
 * owner runs the network; only `invalid` text is still refused.
 *
 * @param ip The address, as text (see {@linkcode classifyAddress} for accepted spellings).
 * @param options `allowPrivate` (default `false`).
 * @returns `true` when a connection to it is allowed.
 * @example
 * ```ts
 * isAddressAllowed("93.184.216.34");                     // true
 * isAddressAllowed("127.0.0.1");                         // false
 * isAddressAllowed("127.0.0.1", { allowPrivate: true }); // true
 * ```
 */
export function isAddressAllowed(ip: string, options: AddressSafetyOptions = {}): boolean {
  return isClassAllowed(classifyAddress(ip), options.allowPrivate ?? false);
}

/**
 * Checks a URL the server will call on a company's behalf, before it is stored or used: an
 * absolute `http:` or `https:` URL without user name or password, whose host is not a
 * non-public address. A literal IP host is judged at once (after WHATWG normalization, so
 * `http://2130706433/` and `http://0x7f.1/` are 127.0.0.1); `localhost` and `*.localhost` are
 * loopback. Other names pass here: their addresses are checked after DNS resolution.
 *
 * @param url The URL as given by the user.
 * @param options `allowPrivate` (default `false`), `what` names the URL in messages.
 * @returns `{ ok: true, url }` with the parsed URL, or `{ ok: false, code, message }`.
 * @example
 * ```ts
 * checkOutboundUrl("https://api.resend.com", { what: "baseUrl" }).ok; // true
 * const refused = checkOutboundUrl("http://169.254.169.254/");
 * refused.ok ? null : refused.code; // "PRIVATE_ADDRESS"
 * ```
 */
export function checkOutboundUrl(
  url: string,
  options: CheckOutboundUrlOptions = {},
): CheckWebhookUrlResult {
  const what = options.what ?? "URL";
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return {
      ok: false,
      code: "INVALID_URL",
      message: `${capitalized(what)} is not an absolute URL`,
    };
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    return {
      ok: false,
      code: "UNSAFE_SCHEME",
      message: `Cannot use ${what}: scheme "${parsed.protocol}" is not http: or https:`,
    };
  }
  // The URL is not echoed here: it holds the credentials.
  if (parsed.username !== "" || parsed.password !== "") {
    return {
      ok: false,
      code: "CREDENTIALS_IN_URL",
      message: `Cannot use ${what}: it carries a user name or password; use a bearer token`,
    };
  }
  const hostClass = classifyHost(parsed.hostname);
  if (hostClass !== null && !isClassAllowed(hostClass, options.allowPrivate ?? false)) {
    return {
      ok: false,
      code: "PRIVATE_ADDRESS",
      message: `Cannot use ${what}: host "${parsed.hostname}" is a ${hostClass} address, and private destinations are not allowed`,
    };
  }
  return { ok: true, url: parsed };
}

/**
 * {@linkcode checkOutboundUrl} for a webhook URL (its messages say "webhook URL").
 *
 * @param url The URL as given by the user.
 * @param options `allowPrivate` (default `false`).
 * @returns `{ ok: true, url }` with the parsed URL, or `{ ok: false, code, message }`.
 * @example
 * ```ts
 * checkWebhookUrl("https://example.com/hooks").ok; // true
 * const refused = checkWebhookUrl("http://169.254.169.254/");
 * refused.ok ? null : refused.code; // "PRIVATE_ADDRESS"
 * ```
 */
export function checkWebhookUrl(
  url: string,
  options: AddressSafetyOptions = {},
): CheckWebhookUrlResult {
  return checkOutboundUrl(url, { ...options, what: "webhook URL" });
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function isClassAllowed(addressClass: AddressClass, allowPrivate: boolean): boolean {
  if (addressClass === "invalid") return false;
  return allowPrivate || addressClass === "public";
}

/** The class of a WHATWG-normalized host name, or `null` for a DNS name to check after resolution. */
function classifyHost(hostname: string): AddressClass | null {
  if (hostname.startsWith("[") || /^[0-9.]+$/.test(hostname)) return classifyAddress(hostname);
  const name = hostname.endsWith(".") ? hostname.slice(0, -1) : hostname;
  // RFC 6761: localhost and every name under it resolve to loopback.
  if (name === "localhost" || name.endsWith(".localhost")) return "loopback";
  return null;
}

function classifyBytes(bytes: Uint8Array): AddressClass {
  for (const { prefix, bits, rangeClass } of bytes.length === 4 ? IPV4_RANGES : IPV6_RANGES) {
    if (!inPrefix(bytes, prefix, bits)) continue;
    if (typeof rangeClass === "string") return rangeClass;
    return classifyBytes(bytes.subarray(rangeClass.embeddedV4At, rangeClass.embeddedV4At + 4));
  }
  return bytes.length === 4 ? "public" : "reserved";
}

function inPrefix(bytes: Uint8Array, prefix: Uint8Array, bits: number): boolean {
  const whole = bits >> 3;
  for (let i = 0; i < whole; i++) if (bytes[i] !== prefix[i]) return false;
  const rest = bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((bytes[whole]! ^ prefix[whole]!) & mask) === 0;
}

function ranges(table: readonly (readonly [cidr: string, rangeClass: RangeClass])[]): Range[] {
  return table.map(([cidr, rangeClass]) => {
    const [address = "", bits = ""] = cidr.split("/");
    const prefix = parseIp(address);
    if (prefix === null) throw new Error(`Bad range "${cidr}" in address_safety.ts`);
    return { prefix, bits: Number(bits), rangeClass };
  });
}
