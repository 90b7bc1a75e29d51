/**
 * The CLI's HTTP client for the Sendeasy API: bearer auth, the `Sendeasy-Company` header,
 * the one error shape of docs/api.md#errors, and cursor pagination (docs/api.md#admin-api). Every outcome,
 * failures included, is a value.
 *
 * @module
 */

/** One entry of an error's `details[]`. */
export interface ApiErrorDetail {
  path: string;
  message: string;
}

/** The error body every Sendeasy endpoint answers with (docs/api.md#errors). */
export interface ApiErrorBody {
  error: string;
  message: string;
  details: ApiErrorDetail[];
  requestId: string | null;
}

/** A request that did not succeed. */
export type ApiFailure =
  | {
      ok: false;
      code: "HTTP_ERROR";
      status: number;
      statusText: string;
      /** The parsed error body, or `null` when the body was not Sendeasy's error shape. */
      error: ApiErrorBody | null;
      /** The body exactly as received. */
      text: string;
      /** From the body, else from the `x-request-id` header. */
      requestId: string | null;
    }
  | { ok: false; code: "NETWORK_ERROR"; message: string }
  | { ok: false; code: "BAD_RESPONSE"; message: string };

/** What one request gave: a 2xx with its parsed JSON body (`null` when empty), or a failure. */
export type ApiResult = { ok: true; status: number; headers: Headers; body: unknown } | ApiFailure;

/** How an {@linkcode ApiClient} reaches the server. */
export interface ApiClientOptions {
  /** Base URL such as `http://localhost:3000`; a path prefix (`https://x/sendeasy`) is kept. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …`: an admin key or an integration token. */
  bearer: string;
  /** Sent as `Sendeasy-Company` when set. */
  company?: string | undefined;
  /** The transport; default the global `fetch`. */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Per-request timeout; default 60 000 ms (sends wait on the provider, docs/api.md#sending). */
  timeoutMs?: number;
}

/** A request body: JSON to serialise, or text sent verbatim as `application/json`. */
export type RequestBody = { json: unknown } | { raw: string };

const PAGE_LIMIT = 100;

/** A client for one base URL and one credential. */
export class ApiClient {
  readonly #baseUrl: string;
  readonly #bearer: string;
  readonly #company: string | undefined;
  readonly #fetch: (url: string, init: RequestInit) => Promise<Response>;
  readonly #timeoutMs: number;

  /**
   * @param options Where and as whom to call.
   * @example
   * ```ts
   * const api = new ApiClient({ baseUrl: "http://localhost:3000", bearer: adminKey });
   * const result = await api.request("GET", "/api/admin/channels/ch_123");
   * ```
   */
  constructor(options: ApiClientOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#bearer = options.bearer;
    this.#company = options.company;
    this.#fetch = options.fetch ?? ((url, init) => fetch(url, init));
    this.#timeoutMs = options.timeoutMs ?? 60_000;
  }

  /**
   * Sends one request.
   *
   * @param method `GET`, `POST`, `DELETE`, …
   * @param path Absolute path with its query, e.g. `/api/admin/integrations?kind=custom`.
   * @param options.body The body, if any. `options.headers` are added last.
   * @returns The parsed 2xx body, or a failure: `HTTP_ERROR` for any other status,
   *   `NETWORK_ERROR` when the server was not reached or timed out, `BAD_RESPONSE` for a 2xx
   *   whose body is not JSON.
   */
  async request(
    method: string,
    path: string,
    options: { body?: RequestBody; headers?: Record<string, string> } = {},
  ): Promise<ApiResult> {
    const url = `${this.#baseUrl}${path}`;
    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(url, this.#init(method, options));
      text = await response.text();
    } catch (error) {
      return { ok: false, code: "NETWORK_ERROR", message: describeNetworkError(error, url) };
    }
    if (!response.ok) return httpFailure(response, text);
    const { status, headers } = response;
    if (text.trim() === "") return { ok: true, status, headers, body: null };
    try {
      return { ok: true, status, headers, body: JSON.parse(text) };
    } catch {
      const message = `${method} ${url} answered ${response.status} with a body that is not JSON`;
      return { ok: false, code: "BAD_RESPONSE", message };
    }
  }

  /**
   * Fetches every page of a listing (`{ data, nextCursor }`, docs/api.md#admin-api), 100 items at a time.
   *
   * @param path The listing's path, with any filters in its query.
   * @returns Every item in the server's order, or the first failure.
   */
  async listAll(path: string): Promise<{ ok: true; items: unknown[] } | ApiFailure> {
    const items: unknown[] = [];
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const query: Record<string, string> = { limit: String(PAGE_LIMIT) };
      if (cursor !== null) query.cursor = cursor;
      const result = await this.request("GET", withQuery(path, query));
      if (!result.ok) return result;
      const page = asPage(result.body);
      if (page === null) {
        return { ok: false, code: "BAD_RESPONSE", message: `GET ${path} did not answer a list` };
      }
      items.push(...page.data);
      cursor = page.nextCursor;
      // A server that hands back a cursor twice would keep this loop going forever.
      if (cursor !== null && seen.has(cursor)) {
        return { ok: false, code: "BAD_RESPONSE", message: `GET ${path} repeated a cursor` };
      }
      if (cursor !== null) seen.add(cursor);
    } while (cursor !== null);
    return { ok: true, items };
  }

  #init(method: string, options: { body?: RequestBody; headers?: Record<string, string> }) {
    const headers: Record<string, string> = {
      accept: "application/json",
      authorization: `Bearer ${this.#bearer}`,
      "user-agent": "sendeasy-cli",
    };
    if (this.#company !== undefined) headers["sendeasy-company"] = this.#company;
    const init: RequestInit = { method, signal: AbortSignal.timeout(this.#timeoutMs) };
    if (options.body !== undefined) {
      headers["content-type"] = "application/json";
      init.body = "raw" in options.body ? options.body.raw : JSON.stringify(options.body.json);
    }
    init.headers = { ...headers, ...options.headers };
    return init;
  }
}

/**
 * Adds query parameters to a path that may already have some.
 *
 * @param path e.g. `/api/admin/integrations?kind=custom`
 * @param query Parameters to add.
 * @returns The path with every parameter URL-encoded.
 *
 * @example
 * ```ts
 * withQuery("/api/admin/channels", { limit: "100" }); // "/api/admin/channels?limit=100"
 * ```
 */
export function withQuery(path: string, query: Record<string, string>): string {
  const [base, existing] = path.split("?", 2) as [string, string | undefined];
  const params = new URLSearchParams(existing);
  for (const [key, value] of Object.entries(query)) params.set(key, value);
  const search = params.toString();
  return search === "" ? base : `${base}?${search}`;
}

function httpFailure(response: Response, text: string): ApiFailure {
  const error = asErrorBody(text);
  return {
    ok: false,
    code: "HTTP_ERROR",
    status: response.status,
    statusText: response.statusText,
    error,
    text,
    requestId: error?.requestId ?? response.headers.get("x-request-id"),
  };
}

function asErrorBody(text: string): ApiErrorBody | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(value) || typeof value.error !== "string" || typeof value.message !== "string") {
    return null;
  }
  const details = Array.isArray(value.details) ? value.details.filter(isDetail) : [];
  const requestId = typeof value.requestId === "string" ? value.requestId : null;
  return { error: value.error, message: value.message, details, requestId };
}

function isDetail(value: unknown): value is ApiErrorDetail {
  return isRecord(value) && typeof value.path === "string" && typeof value.message === "string";
}

function asPage(body: unknown): { data: unknown[]; nextCursor: string | null } | null {
  if (!isRecord(body) || !Array.isArray(body.data)) return null;
  const next = body.nextCursor;
  if (next !== null && next !== undefined && typeof next !== "string") return null;
  return { data: body.data, nextCursor: typeof next === "string" && next !== "" ? next : null };
}

function describeNetworkError(error: unknown, url: string): string {
  const origin = new URL(url).origin;
  if (error instanceof DOMException && error.name === "TimeoutError") {
    return `no answer from ${origin} in time (the request timed out)`;
  }
  const reason = error instanceof Error ? error.message : String(error);
  return `cannot reach ${origin} (is the server running, and is SENDEASY_URL right?): ${reason}`;
}

/**
 * Whether a value is a plain JSON object.
 *
 * @param value Anything parsed from JSON.
 * @returns `true` for objects that are not arrays or `null`.
 *
 * @example
 * ```ts
 * isRecord({ id: "ch_1" }); // true
 * isRecord([]); // false
 * ```
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
