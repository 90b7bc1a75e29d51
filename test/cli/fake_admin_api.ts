/**
 * A stand-in for Sendeasy's own admin and send API, for the CLI's unit tests only: a real
 * `Bun.serve` on 127.0.0.1 that checks the bearer credential the way the server does, answers
 * from canned routes, and records every request.
 *
 * @module
 */

/** One request as the fake received it. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  body: string;
}

/** A canned answer for `"<METHOD> <path>"` (path without its query). */
export type FakeRoute = (request: RecordedRequest) => Response;

/** A running fake. */
export interface FakeApi {
  url: string;
  requests: RecordedRequest[];
  stop(): void;
}

/** What the fake accepts and answers. */
export interface FakeApiOptions {
  /** The only admin key `/api/admin/*` accepts. */
  adminKey: string;
  /** Tokens `/api/integration/*` accepts. Default none. */
  tokens?: readonly string[];
  routes: Record<string, FakeRoute>;
}

/**
 * Answers JSON with the given status and an `x-request-id` header.
 *
 * @example
 * ```ts
 * json(201, { company: { id: "co_1" }, adminKey: "sk_…" });
 * ```
 */
export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "x-request-id": "req_fake", ...headers },
  });
}

/** Answers Sendeasy's error shape (docs/api.md#errors). */
export function apiError(
  status: number,
  error: string,
  message: string,
  requestId = "req_fake",
): Response {
  return json(status, { error, message, requestId }, { "x-request-id": requestId });
}

/**
 * Starts the fake on a free port.
 *
 * @example
 * ```ts
 * const api = startFakeApi({ adminKey: KEY, routes: { "GET /api/admin/channels": () => json(200, page) } });
 * ```
 */
export function startFakeApi(options: FakeApiOptions): FakeApi {
  const requests: RecordedRequest[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const url = new URL(request.url);
      const recorded: RecordedRequest = {
        method: request.method,
        path: url.pathname,
        query: url.searchParams,
        headers: request.headers,
        body: await request.text(),
      };
      requests.push(recorded);
      const auth = request.headers.get("authorization");
      const allowed = url.pathname.startsWith("/api/admin/")
        ? [options.adminKey]
        : (options.tokens ?? []);
      if (!allowed.some((credential) => auth === `Bearer ${credential}`)) {
        return apiError(401, "ERR_NO_PERMISSION", "Missing or invalid credentials", "req_denied");
      }
      const route = options.routes[`${request.method} ${url.pathname}`];
      return route === undefined ? apiError(404, "NOT_FOUND", "No such route") : route(recorded);
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, requests, stop: () => server.stop(true) };
}
