/**
 * The parts of a request's URL, whatever its `Host` header. Bun builds `request.url` from the
 * `Host` header, so a missing or malformed one (`Host: a b`, `Host: [::1`, none at all on
 * HTTP/1.0) leaves a URL that `new URL` cannot parse: read the path and query here instead.
 *
 * @module
 */

/** Stands in for a host that could not be read; never shown, never called. */
const NO_HOST = "http://host.invalid";

/**
 * The request's path and query, always parseable.
 *
 * @param request any request, whatever its `Host`
 * @returns a URL whose `pathname`, `search` and `searchParams` are the request's; its origin
 *   is meaningless when the `Host` was malformed (see {@linkcode requestOrigin})
 * @example
 * requestTarget(request).searchParams.get("hub.challenge");
 */
export function requestTarget(request: Request): URL {
  const raw = request.url;
  const parsed = URL.parse(raw);
  if (parsed !== null) return parsed;
  const scheme = raw.indexOf("://");
  const start = raw.startsWith("/") ? 0 : raw.indexOf("/", scheme === -1 ? 0 : scheme + 3);
  return URL.parse(start === -1 ? "/" : raw.slice(start), NO_HOST) ?? new URL(NO_HOST);
}

/**
 * The origin the client asked for, from its `Host` header.
 *
 * @param request any request
 * @returns the parsed URL, or `null` when the `Host` is missing or malformed
 * @example
 * const origin = requestOrigin(request)?.origin ?? null;
 */
export function requestOrigin(request: Request): URL | null {
  return URL.parse(request.url);
}
