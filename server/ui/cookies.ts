/**
 * The settings page's cookies: always HttpOnly, SameSite=Strict and scoped to `/settings`;
 * Secure when the request arrived over https.
 *
 * @module
 */
import { requestOrigin } from "../http/request_url.ts";

/** Where the page's cookies live; nothing else on the server sees them. */
export const COOKIE_PATH = "/settings";

/** The signed session. */
export const SESSION_COOKIE = "sendeasy_session";

/** A sealed one-time message (a secret shown once, a notice), read by the next page. */
export const FLASH_COOKIE = "sendeasy_flash";

/**
 * Reads one cookie from a `Cookie` header.
 *
 * @example
 * readCookie("a=1; sendeasy_session=v1.x.y", "sendeasy_session"); // "v1.x.y"
 */
export function readCookie(header: string | null, name: string): string | null {
  if (header === null) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/**
 * A `Set-Cookie` value with the page's fixed attributes.
 *
 * @param options.maxAgeSeconds 0 deletes the cookie
 * @param options.secure add `Secure` (requests over https)
 */
export function setCookie(
  name: string,
  value: string,
  options: { maxAgeSeconds: number; secure: boolean },
): string {
  const parts = [
    `${name}=${value}`,
    `Path=${COOKIE_PATH}`,
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
    "HttpOnly",
    "SameSite=Strict",
  ];
  if (options.secure) parts.push("Secure");
  return parts.join("; ");
}

/** A `Set-Cookie` value that deletes the cookie. */
export function clearCookie(name: string, secure: boolean): string {
  return setCookie(name, "", { maxAgeSeconds: 0, secure });
}

/**
 * Whether the request came over https, directly or through a proxy that says so. Trusting
 * `X-Forwarded-Proto` here is safe: it can only add `Secure`, never remove it.
 */
export function isHttps(request: Request): boolean {
  if (requestOrigin(request)?.protocol === "https:") return true;
  const forwarded = request.headers.get("x-forwarded-proto");
  return forwarded?.split(",")[0]?.trim().toLowerCase() === "https";
}
