/**
 * One HTTP POST to a webhook destination (docs/api.md#webhooks): no redirects, bounded time, and the
 * resolved address checked before connecting.
 *
 * @module
 */

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

/** The outcome of one attempt; `statusCode: null` when no HTTP answer came. */
export interface WebhookResponse {
  statusCode: number | null;
  durationMs: number;
  /** The first 2 KiB of the answer. */
  body: string | null;
  /** `Retry-After` as sent, when present. */
  retryAfter: string | null;
  error: string | null;
}

export interface WebhookTransport {
  post(request: WebhookRequest): Promise<WebhookResponse>;
}
