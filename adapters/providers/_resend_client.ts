/**
 * The `resend` SDK on the guarded fetch. The SDK calls the global `fetch` with no way to pass
 * another, so this subclass replaces its one transport method, `fetchRequest`, keeping the
 * SDK's answer shape (`{ data, error, headers }`) and its error names. Every error it answers
 * has a `name` (Resend's own, `address_refused` or `application_error`).
 *
 * @module
 */
import { type ErrorResponse, Resend, type Response as ResendAnswer } from "resend";
import type { GuardedFetch } from "../outbound/guarded_fetch.ts";

/** Resend's error shape, with any name (ours are not in the SDK's list). */
type ResendError = { name: string; message: string; statusCode: number | null };

/** A `Resend` client whose requests go through a {@linkcode GuardedFetch}. */
export class GuardedResend extends Resend {
  readonly #fetch: GuardedFetch;

  /**
   * @param key the API key
   * @param options.baseUrl Resend's origin (no trailing slash)
   * @param options.fetch the guarded fetch every request goes through
   */
  constructor(key: string, options: { baseUrl: string; fetch: GuardedFetch }) {
    super(key, { baseUrl: options.baseUrl });
    this.#fetch = options.fetch;
  }

  override async fetchRequest<T>(
    path: string,
    options: RequestInit = {},
  ): Promise<ResendAnswer<T>> {
    let response: Response;
    try {
      response = await this.#fetch(`${this.baseUrl}${path}`, options);
    } catch (error) {
      // An aborted send rejects, as the SDK's own transport does: the adapter tells timeouts apart.
      if (options.signal?.aborted) throw error;
      const refused = (error as Error).name === "OutboundRefusedError";
      return failed({
        name: refused ? "address_refused" : "application_error",
        message: refused
          ? (error as Error).message
          : "Unable to fetch data. The request could not be resolved.",
        statusCode: null,
      });
    }
    const headers = Object.fromEntries(response.headers.entries());
    const text = await response.text();
    if (response.ok) {
      const data = parseJson(text);
      return data === undefined
        ? failed(
            {
              name: "application_error",
              message: "Resend answered with something other than JSON",
              statusCode: response.status,
            },
            headers,
          )
        : ({ data: data as T, error: null, headers } as ResendAnswer<T>);
    }
    return failed(errorOf(response.status, parseJson(text)), headers);
  }
}

/**
 * Resend's error body `{ name, message, statusCode }`; an answer that is not one (not JSON, or
 * without a name) is an `application_error`, as the SDK itself calls a body it cannot read.
 */
function errorOf(status: number, body: unknown): ResendError {
  const fields = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const name =
    typeof fields.name === "string" && fields.name !== "" ? fields.name : "application_error";
  const message =
    typeof fields.message === "string" && fields.message !== ""
      ? fields.message
      : `Resend answered HTTP ${status}`;
  return { name, message, statusCode: status };
}

function failed<T>(
  error: ResendError,
  headers: Record<string, string> | null = null,
): ResendAnswer<T> {
  return { data: null, error: error as ErrorResponse, headers };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
