/**
 * The one address check for every URL the server calls on a company's behalf — webhook URLs,
 * a provider's `baseUrl`, WhatsApp `files`, SMS `mediaUrls`, e-mail attachment URLs: the URL's
 * shape and literal host first (core's rule), then every address its name resolves to.
 * `SENDEASY_ALLOW_PRIVATE_WEBHOOKS=true` relaxes it for all of them.
 *
 * @module
 */
import { checkOutboundUrl } from "../../core/address_safety.ts";
import { guardHost, type Lookup } from "../webhooks/dns_guard.ts";

/** Who may be called: the deployment's setting and its resolver. */
export interface OutboundPolicy {
  /** Allow loopback, private, link-local and metadata destinations (tests, LAN setups). */
  allowPrivate: boolean;
  /** Resolver (default: the system's); tests change its answers. */
  lookup?: Lookup;
}

/** Why a URL may not be called. */
export type OutboundRefusal =
  | "INVALID_URL"
  | "UNSAFE_SCHEME"
  | "CREDENTIALS_IN_URL"
  | "PRIVATE_ADDRESS"
  | "UNRESOLVABLE";

/** Outcome of {@linkcode checkOutboundTarget}: the URL and the address to connect to. */
export type OutboundTarget =
  | { ok: true; url: URL; address: string }
  | { ok: false; code: OutboundRefusal; message: string };

/**
 * Checks a URL and resolves its host, refusing it when the URL is malformed, not http(s),
 * carries credentials, or names or resolves to a non-public address. A name that resolves to
 * several addresses is refused when any of them is not allowed (the resolver could answer
 * either later). Messages name the URL's host, never an address it resolved to.
 *
 * @param url the URL as given
 * @param options the policy, and `what` names the URL in messages (default `"URL"`)
 * @returns the parsed URL and the address to connect to, or why not
 * @example
 * ```ts
 * const target = await checkOutboundTarget("https://api.resend.com/emails", { allowPrivate: false });
 * if (!target.ok) console.log(target.code, target.message);
 * ```
 */
export async function checkOutboundTarget(
  url: string,
  options: OutboundPolicy & { what?: string },
): Promise<OutboundTarget> {
  const checked = checkedShape(url, options.allowPrivate, options.what);
  if (!checked.ok) {
    if (checked.code !== "PRIVATE_ADDRESS") return checked;
    return {
      ...checked,
      message: `${checked.message} (set SENDEASY_ALLOW_PRIVATE_WEBHOOKS=true to allow)`,
    };
  }
  const guard = await guardHost(checked.url.hostname, {
    allowPrivate: options.allowPrivate,
    ...(options.lookup === undefined ? {} : { lookup: options.lookup }),
  });
  if (!guard.ok) return guard;
  return { ok: true, url: checked.url, address: guard.address };
}

/** The shape checks of recent URLs: pure, and every delivery to a webhook repeats its URL. */
const shapes = new Map<string, ReturnType<typeof checkOutboundUrl>>();
const MAX_SHAPES = 4_096;

function checkedShape(
  url: string,
  allowPrivate: boolean,
  what: string | undefined,
): ReturnType<typeof checkOutboundUrl> {
  const key = `${allowPrivate ? 1 : 0}${what ?? ""}\u0000${url}`;
  let checked = shapes.get(key);
  if (checked === undefined) {
    checked = checkOutboundUrl(url, { allowPrivate, ...(what === undefined ? {} : { what }) });
    if (shapes.size >= MAX_SHAPES) shapes.clear();
    shapes.set(key, checked);
  }
  return checked;
}
