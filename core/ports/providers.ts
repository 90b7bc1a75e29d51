/**
 * The three provider kinds (docs/providers.md). A provider answers with a value, never throws for an
 * expected refusal.
 *
 * @module
 */
import type { Channel } from "../domain.ts";
import type { EmailPayload } from "../payloads/email.ts";
import type { SmsPayload } from "../payloads/sms.ts";
import type { WhatsAppPayload } from "../payloads/whatsapp.ts";

/** What the provider said, in its own words, for the caller's `provider` error field. */
export interface ProviderFault {
  name: string;
  code: string;
  message: string;
}

/**
 * `NO_FUNDS` → 402 (nothing was sent); `FAILURE` → 502 (5xx, timeout, network, rejection).
 * `temporary` tells a sender that retries whether the same send may still succeed later: `true`
 * for an SMTP 4xx, a connection failure or a timeout, `false` for an SMTP 5xx or an attachment
 * over its limit; absent when the adapter cannot tell.
 */
export type ProviderResult =
  | { ok: true; providerMessageId: string }
  | {
      ok: false;
      code: "NO_FUNDS" | "FAILURE";
      fault: ProviderFault;
      temporary?: boolean;
      /**
       * Set when the provider refused for its own rate limit (Resend `rate_limit_exceeded`,
       * Twilio 20429, Meta 130429): nothing was sent, and the same send may go again after
       * `retryAfterMs` (the provider's `Retry-After`; `null` when it named no delay).
       */
      rateLimited?: { retryAfterMs: number | null };
    };

/**
 * One e-mail attachment as a provider sends it: the base64 the payload carried, or the bytes of
 * its `url` as the server reads them (a stream, read once, never buffered whole by the server).
 */
export interface EmailAttachment {
  filename: string;
  contentType?: string;
  /** Set for an inline image the HTML names as `cid:<contentId>`. */
  contentId?: string;
  content: { base64: string } | { stream: ReadableStream<Uint8Array> };
}

/** Options every send gets. */
export interface SendOptions {
  /** Our message id; providers that take an idempotency key get it. */
  messageId: string;
  idempotencyKey?: string;
  /** Where the provider should post status callbacks for this channel. */
  callbackUrl: string;
  /** Aborted when the server's provider timeout runs out; adapters stop waiting then. */
  signal?: AbortSignal;
  /**
   * E-mail: the payload's attachments, in its order, ready to send (those given by `url` are
   * already fetched through the address check). Adapters send these, never the payload's URLs.
   */
  attachments?: readonly EmailAttachment[];
}

export interface EmailProvider {
  sendEmail(channel: Channel, payload: EmailPayload, options: SendOptions): Promise<ProviderResult>;
}

export interface SmsProvider {
  sendSms(channel: Channel, payload: SmsPayload, options: SendOptions): Promise<ProviderResult>;
}

export interface WhatsAppProvider {
  sendWhatsApp(
    channel: Channel,
    payload: WhatsAppPayload,
    options: SendOptions,
  ): Promise<ProviderResult>;
}
