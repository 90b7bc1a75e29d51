/**
 * How the settings page answers: HTML that no cache keeps and no other site frames or
 * scripts, and 303 redirects after every POST (post/redirect/get).
 *
 * @module
 */
import type { SafeHtml } from "./html.ts";

/**
 * No inline script or style anywhere: the CSP allows only this server's assets, so an
 * escaping mistake still could not run a script.
 */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

function baseHeaders(requestId: string, cookies: string[]): Headers {
  const headers = new Headers({
    "cache-control": "no-store",
    "x-request-id": requestId,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
  });
  for (const cookie of cookies) headers.append("set-cookie", cookie);
  return headers;
}

/** An HTML page. */
export function htmlResponse(
  body: SafeHtml,
  options: { status?: number; requestId: string; cookies?: string[] },
): Response {
  const headers = baseHeaders(options.requestId, options.cookies ?? []);
  headers.set("content-type", "text/html; charset=utf-8");
  headers.set("content-security-policy", CSP);
  return new Response(body.value, { status: options.status ?? 200, headers });
}

/** A 303 See Other to a path of this site. */
export function redirectResponse(
  location: string,
  options: { requestId: string; cookies?: string[] },
): Response {
  const headers = baseHeaders(options.requestId, options.cookies ?? []);
  headers.set("location", location);
  return new Response(null, { status: 303, headers });
}
