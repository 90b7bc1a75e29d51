/**
 * Posts webhook deliveries over HTTP (docs/api.md#webhooks): bounded time, no redirects, through the
 * guarded fetch (a connection to the very address the address check approved).
 *
 * @module
 */
import type {
  WebhookRequest,
  WebhookResponse,
  WebhookTransport,
} from "../../core/ports/webhook_transport.ts";
import { createGuardedFetch, type GuardedFetch } from "../outbound/guarded_fetch.ts";
import type { Lookup } from "./dns_guard.ts";

/** docs/api.md#webhooks: the attempt log keeps the first 2 KiB of each answer. */
const MAX_LOGGED_BODY_BYTES = 2048;

export class HttpWebhookTransport implements WebhookTransport {
  readonly #fetch: GuardedFetch;

  /**
   * @param options.allowPrivate allow loopback/private destinations (tests, LAN setups)
   * @param options.lookup resolver (default: the system's)
   */
  constructor(options: { allowPrivate: boolean; lookup?: Lookup }) {
    this.#fetch = createGuardedFetch(options);
  }

  async post(request: WebhookRequest): Promise<WebhookResponse> {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    const failure = (error: string): WebhookResponse => ({
      statusCode: null,
      durationMs: elapsed(),
      body: null,
      retryAfter: null,
      error,
    });
    try {
      const response = await this.#fetch(request.url, {
        method: "POST",
        headers: request.headers,
        body: request.body,
        redirect: "manual",
        signal: AbortSignal.timeout(request.timeoutMs),
      });
      const body = await readPrefix(response, MAX_LOGGED_BODY_BYTES);
      return {
        statusCode: response.status,
        durationMs: elapsed(),
        body,
        retryAfter: response.headers.get("retry-after"),
        error: null,
      };
    } catch (error) {
      const name = (error as Error).name;
      if (name === "TimeoutError" || name === "AbortError")
        return failure(`Timed out after ${request.timeoutMs} ms`);
      if (name === "OutboundRefusedError") return failure((error as Error).message);
      return failure(`Connection failed: ${(error as Error).message}`);
    }
  }
}

/** Reads at most `max` bytes of the body, then drops the rest of the stream. */
async function readPrefix(response: Response, max: number): Promise<string> {
  if (response.body === null) return "";
  // Most receivers answer a short body with its length: one native read, no stream pulls.
  const declared = response.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) <= max) {
    return new TextDecoder().decode(await response.bytes());
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const bytes = new Uint8Array(Math.min(size, max));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, bytes.length - offset);
    bytes.set(part, offset);
    offset += part.length;
    if (offset >= bytes.length) break;
  }
  return new TextDecoder().decode(bytes);
}
