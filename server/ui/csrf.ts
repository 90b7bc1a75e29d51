/**
 * Cross-site request forgery checks on every POST of the settings page, on top of the
 * SameSite=Strict cookie: the browser's own word on where the request came from
 * (`Sec-Fetch-Site`, `Origin`) must say this site. The per-session token in the form is
 * checked by the routes, which know the session.
 *
 * @module
 */
import { requestOrigin } from "../http/request_url.ts";

/**
 * Why a form submission looks cross-site, or null when it does not.
 *
 * @param request the POST
 * @param options.publicUrl `SENDEASY_PUBLIC_URL`: its origin is accepted too (reverse proxies)
 * @param options.requireBrowserSignal refuse when neither header is present (sign-in, which has
 *   no session token to fall back on)
 * @example
 * crossSiteProblem(request, { publicUrl: "https://sendeasy.example.com" }); // null
 */
export function crossSiteProblem(
  request: Request,
  options: { publicUrl: string; requireBrowserSignal?: boolean },
): string | null {
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin") return `Sec-Fetch-Site is "${site}"`;
  const origin = request.headers.get("origin");
  if (origin !== null && !allowedOrigins(request, options.publicUrl).has(origin)) {
    return `Origin "${origin}" is not this site`;
  }
  if (options.requireBrowserSignal && site === null && origin === null) {
    return "neither Origin nor Sec-Fetch-Site was sent";
  }
  return null;
}

function allowedOrigins(request: Request, publicUrl: string): Set<string> {
  // A missing or malformed Host names no origin: only the public URL's is this site then.
  const url = requestOrigin(request);
  const allowed = new Set(url === null ? [] : [url.origin, `https://${url.host}`]);
  try {
    allowed.add(new URL(publicUrl).origin);
  } catch {
    // An unparsable public URL adds nothing; env validation reports it at start.
  }
  return allowed;
}
