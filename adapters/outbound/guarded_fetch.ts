/**
 * `fetch` for every request the server makes on a company's behalf (webhook deliveries, the
 * provider SDKs' API calls, and anything else it fetches for a tenant). Each connection goes
 * to an address {@linkcode checkOutboundTarget} approved after DNS resolution — the very
 * address, not a second resolution an attacker could answer differently — and each redirect
 * is checked the same way before it is followed. Errors never name the address connected to.
 *
 * @module
 */
import { checkOutboundTarget, type OutboundPolicy, type OutboundRefusal } from "./check_target.ts";

/** A `fetch` whose destinations pass the address check. */
export type GuardedFetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** Redirects followed at most (GET and HEAD only; see {@linkcode createGuardedFetch}). */
const MAX_REDIRECTS = 5;

/** The address check refused the URL (or a redirect's target): nothing was sent. */
export class OutboundRefusedError extends Error {
  override readonly name = "OutboundRefusedError";
  readonly code: OutboundRefusal;

  constructor(code: OutboundRefusal, message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * Builds the guarded `fetch` of a policy.
 *
 * Differences from `fetch`: URLs must be http(s) without credentials; the connection goes to
 * the checked address with the original `Host` (and TLS still verifies the certificate against
 * the name); redirects are followed (up to 5, each target checked) only for GET and HEAD with
 * `redirect: "follow"` (the default) — any other request gets the 3xx answer itself; a refusal
 * rejects with {@linkcode OutboundRefusedError}; a network failure rejects with a `TypeError`
 * whose message names the URL's host and the failure, never the address. Aborts and timeouts
 * reject as `fetch` does.
 *
 * @param policy `allowPrivate` (`SENDEASY_ALLOW_PRIVATE_WEBHOOKS`) and the resolver
 * @returns the guarded fetch
 * @example
 * ```ts
 * const guardedFetch = createGuardedFetch({ allowPrivate: false });
 * const response = await guardedFetch("https://files.example.com/invoice.pdf");
 * ```
 */
export function createGuardedFetch(policy: OutboundPolicy): GuardedFetch {
  return async (input, init = {}) => {
    const method = (init.method ?? "GET").toUpperCase();
    const follow =
      (init.redirect ?? "follow") === "follow" && (method === "GET" || method === "HEAD");
    let url = String(input);
    for (let hop = 0; ; hop++) {
      const target = await checkOutboundTarget(url, policy);
      if (!target.ok) throw new OutboundRefusedError(target.code, target.message);
      const response = await pinnedFetch(target.url, target.address, init);
      if (!isRedirect(response.status)) return response;
      const location = response.headers.get("location");
      if (location === null) return response;
      if (init.redirect === "error") {
        await response.body?.cancel();
        throw new TypeError(`Cannot fetch from "${target.url.host}": it redirected`);
      }
      if (!follow) return response;
      await response.body?.cancel();
      if (hop >= MAX_REDIRECTS) {
        throw new TypeError(
          `Cannot fetch from "${target.url.host}": more than ${MAX_REDIRECTS} redirects`,
        );
      }
      url = new URL(location, target.url).href;
    }
  };
}

/** One request to `address`, as if to `url`'s host. */
async function pinnedFetch(url: URL, address: string, init: RequestInit): Promise<Response> {
  // An IP literal is its own address: nothing to pin (and no second URL to build).
  const literal = url.hostname === address || url.hostname === `[${address}]`;
  let target: URL = url;
  let extra: Record<string, unknown> = {};
  if (!literal) {
    const pinned = new URL(url);
    pinned.hostname = address.includes(":") ? `[${address}]` : address;
    target = pinned;
    extra = { headers: withHost(init.headers, url.host) };
    // TLS must still verify the certificate against the name, not the pinned address.
    if (url.protocol === "https:") {
      const tls = (init as { tls?: Record<string, unknown> }).tls;
      extra.tls = { ...tls, serverName: url.hostname };
    }
  }
  try {
    return await fetch(target, { ...init, ...extra, redirect: "manual" } as RequestInit);
  } catch (error) {
    const name = (error as Error).name;
    if (name === "AbortError" || name === "TimeoutError") throw error;
    throw new TypeError(`Cannot connect to "${url.host}": ${failureOf(error)}`, { cause: error });
  }
}

/** `headers` with `Host` set: a plain object stays one (the common case, and the cheap one). */
function withHost(headers: HeadersInit | undefined, host: string): HeadersInit {
  if (headers === undefined) return { host };
  if (headers instanceof Headers || Array.isArray(headers)) {
    const copy = new Headers(headers);
    copy.set("host", host);
    return copy;
  }
  return { ...headers, host };
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** Bun's network errors carry the pinned URL in their text: only their code is kept. */
function failureOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ECONNRESET":
      return "connection reset";
    case "ETIMEDOUT":
      return "connection timed out";
    case "EPROTO":
      return "TLS handshake failed";
    default:
      if (typeof code === "string" && /^(?:ERR_TLS|CERT|UNABLE_TO|DEPTH|SELF_SIGNED)/.test(code)) {
        return `certificate not trusted (${code})`;
      }
      return typeof code === "string" && /^[A-Z0-9_]+$/.test(code)
        ? `connection failed (${code})`
        : "connection failed";
  }
}
