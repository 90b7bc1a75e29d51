/**
 * The three provider kinds (SPEC.md §9). A provider answers with a value, never throws for an
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
 */
export type ProviderResult =
  | { ok: true; providerMessageId: string }
  | { ok: false; code: "NO_FUNDS" | "FAILURE"; fault: ProviderFault };

/** Options every send gets. */
export interface SendOptions {
  /** Our message id; providers that take an idempotency key get it. */
  messageId: string;
  idempotencyKey?: string;
  /** Where the provider should post status callbacks for this channel. */
  callbackUrl: string;
  /** Aborted when the server's provider timeout runs out; adapters stop waiting then. */
  signal?: AbortSignal;
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
